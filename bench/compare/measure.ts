import type { System, Workload } from "./system";

export interface Sizes {
  jobs: number;
  singleJobs: number;
  producers: number;
  rate: number;
  rateSeconds: number;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

const BULK = 1000;
const BULK_PARALLEL = 4;

async function bulkSubmit(system: System, queue: string, jobs: number, workload: Workload): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: BULK_PARALLEL }, async () => {
      for (let from = next; from < jobs; from = next) {
        next += BULK;
        await system.addBulk(queue, from, Math.min(BULK, jobs - from), workload);
      }
    }),
  );
}

/** Jobs/s of bulk enqueue (batches of 1,000, 4 requests in flight), nothing processing. */
export async function bulkEnqueue(system: System, sizes: Sizes): Promise<number> {
  const queue = await system.newQueue("bulk");
  const started = performance.now();
  await bulkSubmit(system, queue, sizes.jobs, "noop");
  return sizes.jobs / ((performance.now() - started) / 1000);
}

/** Jobs/s of single enqueues from `producers` concurrent producers, each awaiting its submit. */
export async function singleEnqueue(system: System, sizes: Sizes): Promise<number> {
  const queue = await system.newQueue("single");
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: sizes.producers }, async () => {
      for (let i = next++; i < sizes.singleJobs; i = next++) await system.add(queue, i, "noop");
    }),
  );
  return sizes.singleJobs / ((performance.now() - started) / 1000);
}

/** Submit latency at a fixed, open-loop rate (a submit starts on schedule whatever the others do). */
export async function latencyAtRate(system: System, sizes: Sizes): Promise<{ p50: number; p99: number }> {
  const queue = await system.newQueue("rate");
  const total = sizes.rate * sizes.rateSeconds;
  const latencies: number[] = [];
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / sizes.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t = performance.now();
    inflight.push(system.add(queue, i, "noop").then(() => void latencies.push(performance.now() - t)));
  }
  // Settled, not raced: a failed submit must not leave the others running unobserved.
  const failed = (await Promise.allSettled(inflight)).filter((r) => r.status === "rejected");
  if (failed.length > 0) throw new Error(`${failed.length} of ${total} submits failed at ${sizes.rate}/s: ${String((failed[0] as PromiseRejectedResult).reason)}`);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Jobs/s from the first submit to the last completion, with the system's workers running. */
export async function endToEnd(system: System, sizes: Sizes, workload: Workload): Promise<number> {
  const queue = await system.newQueue(workload);
  const run = await system.process(queue, sizes.jobs, workload);
  const started = performance.now();
  await bulkSubmit(system, queue, sizes.jobs, workload);
  await run.done;
  const seconds = (performance.now() - started) / 1000;
  await run.stop();
  return sizes.jobs / seconds;
}
