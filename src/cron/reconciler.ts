import { withDb } from "../db/client";
import { countActiveDueBefore } from "../db/queries/active-jobs";
import { listQueues } from "../db/queries/queues";
import type { Env } from "../env";
import { schedulerConfig } from "../jobs/enqueue";
import { schedulerFor } from "../scheduler/stub";

/** Jobs newer than this may be between their insert and their enqueue; they are not drift yet. */
export const RECONCILE_GRACE_MS = 60_000;

export interface ReconcileReport {
  queues: number;
  rebuilt: { queue: string; added: number; removed: number }[];
  failed: { queue: string; error: string }[];
}

/**
 * Repairs drift between Postgres and the schedulers, once: for every queue it pushes the current
 * config and ticks the scheduler (which frees expired leases); where the scheduler holds a
 * different number of jobs due before the grace cutoff than Postgres does (a job stored but never
 * enqueued, an entry whose job is gone), it rebuilds the scheduler from Postgres.
 */
export async function runOnce(env: Env, now: number): Promise<ReconcileReport> {
  const cutoff = now - RECONCILE_GRACE_MS;
  const { queues, due } = await withDb(env, async (db) => ({ queues: await listQueues(db), due: await countActiveDueBefore(db, new Date(cutoff)) }));
  const report: ReconcileReport = { queues: queues.length, rebuilt: [], failed: [] };
  await Promise.all(
    queues.map(async (queue) => {
      const scheduler = schedulerFor(env, queue.name);
      try {
        await scheduler.configure(queue.name, schedulerConfig(queue));
        const held = await scheduler.countDueBefore(cutoff);
        if (held !== (due.get(queue.name) ?? 0)) {
          report.rebuilt.push({ queue: queue.name, ...(await scheduler.rebuild(queue.name)) });
        } else {
          await scheduler.tick(now);
        }
      } catch (error) {
        report.failed.push({ queue: queue.name, error: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  return report;
}
