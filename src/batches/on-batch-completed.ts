import type { CompletedBatch } from "../db/queries/complete-batches";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { publish } from "../live/publish";
import { dispatchWebhookEvents } from "../webhooks/dispatch";

/**
 * Everything that follows a batch's completion, called exactly once per batch: by the writer whose
 * conditional update completed it (src/db/queries/complete-batches.ts). Live events, and the
 * `batch.completed` webhook to subscribers and to the batch's `callbackUrl`.
 */
export async function onBatchCompleted(env: Env, db: Db, { batch, counts, queues }: CompletedBatch): Promise<void> {
  const at = batch.completedAt?.getTime() ?? Date.now();
  await Promise.all([
    publish(env, [{ type: "batch.completed", tenant: batch.tenantId, batchId: batch.id, name: batch.name, queues, total: batch.total, counts, at }]),
    dispatchWebhookEvents(env, db, [
      {
        type: "batch.completed",
        queues,
        jobId: null,
        tenant: batch.tenantId,
        callbackUrl: batch.callbackUrl,
        at,
        data: { batchId: batch.id, name: batch.name, queues, total: batch.total, counts, completedAt: new Date(at).toISOString() },
      },
    ]),
  ]);
}
