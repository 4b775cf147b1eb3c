import { withDb } from "../db/client";
import { completeBatches } from "../db/queries/complete-batches";
import type { Env } from "../env";
import { onBatchCompleted } from "../batches/on-batch-completed";
import { afterMoved, settleWaiting } from "../flow/after-final";

/** Jobs and batches one sweep handles at most; the next minute takes the rest. */
const SWEEP_LIMIT = 1000;

export interface FlowSweepReport {
  released: number;
  cancelled: number;
  batches: number;
}

/**
 * Repairs what a writer that died between its outcome and the follow-up left undone: waiting jobs
 * whose dependencies all finished (or one failed) are released or cancelled, and batches whose
 * jobs are all final are completed. Both steps are the conditional updates the writers use, so the
 * sweep racing a writer still moves each job and completes each batch once.
 */
export async function runOnce(env: Env, now: number): Promise<FlowSweepReport> {
  return withDb(env, async (db) => {
    const at = new Date(now);
    const moved = await settleWaiting(db, { any: SWEEP_LIMIT }, at);
    const cancelled = moved.filter((j) => j.state === "cancelled");
    await afterMoved(env, db, cancelled, moved, at);
    const completed = await completeBatches(db, { any: SWEEP_LIMIT }, at);
    for (const batch of completed) await onBatchCompleted(env, db, batch);
    return { released: moved.length - cancelled.length, cancelled: cancelled.length, batches: completed.length };
  });
}
