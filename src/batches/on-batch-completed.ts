import type { CompletedBatch } from "../db/queries/complete-batches";
import type { Env } from "../env";
import { publish } from "../live/publish";

/**
 * Everything that follows a batch's completion, called exactly once per batch: by the writer whose
 * conditional update completed it (src/db/queries/complete-batches.ts). The batch's `callbackUrl`
 * is stored with it for the webhook delivery to call from here.
 */
export async function onBatchCompleted(env: Env, { batch, counts, queues }: CompletedBatch): Promise<void> {
  await publish(env, [
    { type: "batch.completed", batchId: batch.id, name: batch.name, queues, total: batch.total, counts, at: batch.completedAt?.getTime() ?? Date.now() },
  ]);
}
