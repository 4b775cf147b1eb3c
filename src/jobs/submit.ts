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
  const out = new Array<Submitted>(items.length);
  const byQueue = Map.groupBy(items.map((item, index) => ({ ...item, index })), (item) => item.queue);
  await Promise.all(
    [...byQueue].map(async ([queue, group]) => {
      const inserted = await insertJobs(db, queue, group.map((g) => g.job), now);
      const fresh = inserted.jobs.filter((j) => j.created).map((j) => j.job);
      const positions = await enqueueStored(env, queue, fresh, schedulerConfig(inserted.queue));
      const positionOf = new Map(fresh.map((job, i) => [job.id, positions[i] ?? null]));
      inserted.jobs.forEach(({ job, created }, i) => {
        out[group[i]!.index] = { job, created, position: positionOf.get(job.id) ?? null };
      });
    }),
  );
  return out;
}
