import type { JobRow, QueueRow } from "../db/schema";
import type { Env } from "../env";
import { schedulerFor } from "../scheduler/stub";
import { enqueueItem } from "../scheduler/enqueue-item";
import type { SchedulerConfig } from "../scheduler/types";
import { log } from "../log";

export function schedulerConfig(queue: QueueRow): SchedulerConfig {
  return { concurrency: queue.concurrency, paused: queue.paused, visibilityTimeoutMs: queue.visibilityTimeoutMs, rateLimit: queue.rateLimit, mode: queue.mode, tenantId: queue.tenantId, version: queue.version };
}

/**
 * Hands jobs already stored in Postgres to their queue's scheduler. Returns their queue positions,
 * or nulls if the scheduler could not be reached: the jobs are safe in Postgres and the reconciler
 * enqueues them on its next tick, so the caller still succeeds.
 */
export async function enqueueStored(env: Env, queue: string, jobs: JobRow[], config?: SchedulerConfig): Promise<(number | null)[]> {
  if (jobs.length === 0) return [];
  try {
    const { positions } = await schedulerFor(env, queue).enqueue(queue, jobs.map(enqueueItem), config);
    return positions;
  } catch (error) {
    log("error", "scheduler unreachable; stored jobs wait for the reconciler", { queue, jobs: jobs.length }, error);
    return jobs.map(() => null);
  }
}

/** Enqueues stored jobs that may belong to several queues, one scheduler call per queue. */
export async function enqueueByQueue(env: Env, jobs: JobRow[]): Promise<void> {
  const byQueue = Map.groupBy(jobs, (job) => job.queue);
  await Promise.all([...byQueue].map(([queue, list]) => enqueueStored(env, queue, list)));
}

