import { completeBatches } from "../db/queries/complete-batches";
import { releaseWaiting, type WaitingTarget } from "../db/queries/release-waiting";
import type { Db } from "../db/client";
import type { JobRow } from "../db/schema";
import type { Env } from "../env";
import { onBatchCompleted } from "../batches/on-batch-completed";
import { enqueueByQueue } from "../jobs/enqueue";

/** What the follow-up of a job's final state needs to know of it. */
export type FinishedJob = Pick<JobRow, "id" | "batchId" | "hasDependents">;

/**
 * Moves waiting jobs on (see releaseWaiting) and follows the cancellations it makes down the graph,
 * one statement per level. Returns every job it moved; cancelled ones are final, the rest still
 * need their scheduler.
 */
export async function settleWaiting(db: Db, target: WaitingTarget, now: Date): Promise<JobRow[]> {
  const moved: JobRow[] = [];
  for (let next: WaitingTarget | null = target; next; ) {
    const step = await releaseWaiting(db, next, now);
    moved.push(...step);
    const cancelled = step.filter((j) => j.state === "cancelled" && j.hasDependents).map((j) => j.id);
    next = cancelled.length > 0 ? { dependentsOf: cancelled } : null;
  }
  return moved;
}

/**
 * What follows jobs becoming final (completed, dead or cancelled), after that write committed:
 * their dependents are released to their schedulers or cancelled, and batches whose last job
 * this was complete, exactly once each.
 */
export async function afterFinal(env: Env, db: Db, finished: FinishedJob[], now: Date): Promise<void> {
  const parents = finished.filter((j) => j.hasDependents).map((j) => j.id);
  const moved = parents.length > 0 ? await settleWaiting(db, { dependentsOf: parents }, now) : [];
  await afterMoved(env, db, [...finished, ...moved.filter((j) => j.state === "cancelled")], moved, now);
}

/** Hands released jobs to their schedulers and completes the batches of jobs that became final. */
export async function afterMoved(env: Env, db: Db, final: FinishedJob[], moved: JobRow[], now: Date): Promise<void> {
  await enqueueByQueue(
    env,
    moved.filter((j) => j.state !== "cancelled"),
  );
  const batchIds = [...new Set(final.flatMap((j) => (j.batchId ? [j.batchId] : [])))];
  for (const completed of await completeBatches(db, { ids: batchIds }, now)) await onBatchCompleted(env, db, completed);
}
