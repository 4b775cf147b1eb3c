/**
 * One queue with a backlog of N jobs (default 1,000,000) against a running dev stack: how fast the
 * backlog is submitted, what it costs the scheduler's storage, how fast it is dispatched at the start
 * and at the end of the burn-down, and whether high-priority jobs overtake it: H high-priority jobs
 * are submitted last while the queue is paused, and H more when half the backlog is done; for each
 * set it prints how many lower-priority jobs completed between their submit and the last of them
 * completing (at most the jobs already leased, if priority holds) and their submit-to-start times.
 * Usage: npm run bench:backlog -- [jobs=1000000] [concurrency=1000] [high=100]
 */
import { base, call } from "./lib/client";

const [jobs = 1_000_000, concurrency = 1000, high = 100] = process.argv.slice(2).map(Number);
const queue = `backlog-${Date.now().toString(36)}`;
const BATCH = 1000;
const PARALLEL = 4;
/** Start and end rates are measured over this share of the backlog. */
const EDGE = 0.05;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const completed = async (): Promise<number> => (await call("GET", `/api/v1/queues/${queue}`)).counts.completed ?? 0;

async function submitHigh(label: string): Promise<{ ids: string[]; at: number; completedBefore: number }> {
  const completedBefore = await completed();
  const at = Date.now();
  const { jobs: made } = await call("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: high }, (_, i) => ({ type: "echo", priority: "high", payload: { label, i } })) });
  return { ids: made.map((j: { id: string }) => j.id), at, completedBefore };
}

/** Waits for the high jobs, then reports how many others finished meanwhile and how long they waited to start. */
async function overtaking(label: string, set: { ids: string[]; at: number; completedBefore: number }): Promise<void> {
  let waits: number[] = [];
  for (;;) {
    const found = await Promise.all(set.ids.map((id) => call("GET", `/api/v1/jobs/${id}`)));
    if (found.every((j) => j.state === "completed")) {
      waits = found.map((j) => Date.parse(j.startedAt) - set.at).sort((a, b) => a - b);
      break;
    }
    await sleep(200);
  }
  const others = (await completed()) - set.completedBefore - set.ids.length;
  console.log(`  ${label}: ${set.ids.length} high-priority jobs all done; lower-priority jobs completed meanwhile: ${others} (queue concurrency ${concurrency}); submit to start p50 ${waits[Math.floor(waits.length / 2)]} ms, max ${waits.at(-1)} ms`);
}

async function main(): Promise<void> {
  await call("PUT", `/api/v1/queues/${queue}`, { concurrency, paused: true });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let from = next; from < jobs; from = next) {
        next += BATCH;
        const count = Math.min(BATCH, jobs - from);
        await call("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: count }, (_, k) => ({ type: "echo", priority: "low", payload: { i: from + k } })) });
      }
    }),
  );
  const submitSeconds = (performance.now() - started) / 1000;
  const lastHigh = await submitHigh("submitted last, queue paused");
  const view = await call("GET", `/api/v1/queues/${queue}`);
  console.log(`edgeq backlog against ${base}: ${jobs.toLocaleString("en-US")} low-priority echo jobs in one queue (concurrency ${concurrency})`);
  console.log(`  submitted: ${(jobs / submitSeconds).toFixed(0)} jobs/s (${submitSeconds.toFixed(1)} s)`);
  console.log(`  scheduler: ${view.scheduler.ready.toLocaleString("en-US")} ready, storage ${(view.scheduler.storageBytes / 1024 / 1024).toFixed(1)} MiB (${(view.scheduler.storageBytes / view.scheduler.ready).toFixed(0)} bytes per job)`);

  const total = jobs + 2 * high;
  const samples: { t: number; done: number }[] = [];
  const burnStart = performance.now();
  await call("POST", `/api/v1/queues/${queue}/resume`);
  const firstCheck = overtaking("submitted last, queue paused", lastHigh);
  let midCheck: Promise<void> | undefined;
  for (const deadline = Date.now() + 3 * 3_600_000; ; ) {
    if (Date.now() > deadline) throw new Error("the backlog did not drain within 3 hours");
    const done = await completed();
    samples.push({ t: (performance.now() - burnStart) / 1000, done });
    if (!midCheck && done >= jobs / 2) midCheck = overtaking("submitted halfway through the burn-down", await submitHigh("halfway"));
    if (done >= total) break;
    await sleep(1000);
  }
  await firstCheck;
  await midCheck;
  const rateBetween = (from: number, to: number) => {
    const a = samples.find((s) => s.done >= from)!;
    const b = samples.find((s) => s.done >= to)!;
    return (b.done - a.done) / (b.t - a.t);
  };
  const edge = Math.round(jobs * EDGE);
  const start = rateBetween(0, edge);
  const end = rateBetween(total - edge, total);
  console.log(`  dispatched (completed) at the start: ${start.toFixed(0)} jobs/s over the first ${edge.toLocaleString("en-US")}; at the end: ${end.toFixed(0)} jobs/s over the last ${edge.toLocaleString("en-US")} (end/start ${(end / start).toFixed(2)})`);
  console.log(`  burn-down: ${(total / samples.at(-1)!.t).toFixed(0)} jobs/s overall (${samples.at(-1)!.t.toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
