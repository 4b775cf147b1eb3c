/**
 * Single submits: P concurrent producers each awaiting one `POST /api/v1/jobs` at a time, against a
 * running dev stack; prints jobs/s and submit latency p50/p99. The queue is paused, so only the
 * submit path is measured. Usage: npm run bench:single -- [jobs=5000] [producers=64]
 */
import { base, call } from "./lib/client";

const [jobs = 5000, producers = 64] = process.argv.slice(2).map(Number);
const queue = `bench-single-${Date.now().toString(36)}`;


function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  await call("POST", `/api/v1/queues/${queue}/pause`);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      for (let i = next++; i < jobs; i = next++) {
        const t = performance.now();
        await call("POST", "/api/v1/jobs", { queue, type: "echo", payload: { i } });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`edgeq single submits against ${base}: ${jobs} jobs from ${producers} concurrent producers (queue paused)`);
  console.log(`  ${(jobs / seconds).toFixed(0)} jobs/s; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
