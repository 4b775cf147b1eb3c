/**
 * First benchmark: N no-op jobs through the batch API against a running dev stack (`npm run dev`),
 * printing submitted jobs/s (all batches accepted) and end-to-end jobs/s (first submit to last
 * completion). Usage: npm run bench -- [jobs=20000] [batch=1000] [parallel=4] [concurrency=200]
 * with EDGEQ_URL (default http://127.0.0.1:8787).
 */
import { base, call } from "./lib/client";

const [jobs = 20_000, batchSize = 1000, parallel = 4, concurrency = 200] = process.argv.slice(2).map(Number);
const queue = `bench-${Date.now().toString(36)}`;


async function main(): Promise<void> {
  await call("GET", "/health").catch((error: unknown) => {
    throw new Error(`no edgeq at ${base} (start it with npm run dev): ${String(error)}`);
  });
  await call("PUT", `/api/v1/queues/${queue}`, { concurrency });

  const batches = Math.ceil(jobs / batchSize);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let b = next++; b < batches; b = next++) {
        const count = Math.min(batchSize, jobs - b * batchSize);
        await call("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: count }, (_, i) => ({ type: "echo", payload: { i: b * batchSize + i } })) });
      }
    }),
  );
  const submittedMs = performance.now() - started;

  // A benchmark may poll; it measures, it asserts nothing.
  let completed = 0;
  for (const deadline = Date.now() + 30 * 60_000; completed < jobs; ) {
    if (Date.now() > deadline) throw new Error(`only ${completed} of ${jobs} completed in 30 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = await call("GET", `/api/v1/queues/${queue}`);
    completed = stats.counts.completed ?? 0;
    if ((stats.counts.dead ?? 0) > 0) throw new Error(`${stats.counts.dead} jobs died`);
  }
  const totalMs = performance.now() - started;

  console.log(`edgeq throughput against ${base}: ${jobs} echo jobs, batches of ${batchSize}, ${parallel} in parallel, queue concurrency ${concurrency}`);
  console.log(`  submitted:  ${(jobs / (submittedMs / 1000)).toFixed(0)} jobs/s (${(submittedMs / 1000).toFixed(2)} s)`);
  console.log(`  end to end: ${(jobs / (totalMs / 1000)).toFixed(0)} jobs/s (${(totalMs / 1000).toFixed(2)} s, first submit to last completion)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
