import type { WebhookEvent } from "../core/webhook-events";
import type { AttemptResult } from "../db/queries/record-outcomes";
import type { JobRow } from "../db/schema";

/**
 * The webhook events of a group of outcomes (completed, failed to be retried, or dead), built before
 * they are written: the outcome statement files them for the outcomes that take effect and adds each
 * one's `result` or `error` from its own row, so those are not sent to Postgres twice.
 */
export function outcomeWebhookEvents(group: { job: JobRow; result: AttemptResult }[], at: number): WebhookEvent[] {
  return group.map(({ job, result }): WebhookEvent => {
    const type = result.state === "completed" ? "job.completed" : result.state === "dead" ? "job.dead" : "job.failed";
    const data: Record<string, unknown> = {
      jobId: job.id,
      queue: job.queue,
      type: job.type,
      state: result.state,
      attempt: result.attempt - job.attemptBase,
      maxAttempts: job.maxAttempts,
      durationMs: Math.round(result.durationMs),
      tags: job.tags,
    };
    if (result.state === "scheduled") data.retryAt = result.runAt?.toISOString() ?? null;
    return { type, queues: [job.queue], jobId: job.id, callbackUrl: job.callbackUrl, at, data };
  });
}
