import type { Db } from "../db/client";
import { insertJobs, type NewJob } from "../db/queries/insert-jobs";
import type { JobRow } from "../db/schema";
import type { Env } from "../env";
import { enqueueStored, schedulerConfig } from "./enqueue";

export interface Submitted {
  job: JobRow;
  /** False when an idempotency key matched an existing job, which is returned instead. */
  created: boolean;
  /** 1-based place among the queue's ready jobs at submission; null when delayed or unknown. */
  position: number | null;
}

/**
 * Stores jobs (one insert per queue) and hands the new ones to their schedulers. Postgres first:
 * once the insert commits the jobs cannot be lost, whatever happens to the scheduler call.
 */
export async function submitJobs(env: Env, db: Db, items: { queue: string; job: NewJob }[], now: Date): Promise<Submitted[]> {
  const byQueue = [...Map.groupBy(items.map((item, index) => ({ ...item, index })), (item) => item.queue)];
  const insertAll = (tx: Db) => mapSequentially(byQueue, ([queue, group]) => insertJobs(tx, queue, group.map((g) => g.job), now));
  // One queue is one statement, atomic by itself; a batch across queues commits all or nothing.
  const inserted = byQueue.length === 1 ? await insertAll(db) : await db.transaction((tx) => insertAll(tx));

  const out = new Array<Submitted>(items.length);
  await Promise.all(
    byQueue.map(async ([queue, group], q) => {
      const { jobs, queue: row } = inserted[q]!;
      const fresh = jobs.filter((j) => j.created).map((j) => j.job);
      const positions = await enqueueStored(env, queue, fresh, schedulerConfig(row));
      const positionOf = new Map(fresh.map((job, i) => [job.id, positions[i] ?? null]));
      jobs.forEach(({ job, created }, i) => {
        out[group[i]!.index] = { job, created, position: positionOf.get(job.id) ?? null };
      });
    }),
  );
  return out;
}

/** Runs `fn` over `items` one after another (statements of one transaction cannot overlap). */
async function mapSequentially<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await fn(item));
  return results;
}
