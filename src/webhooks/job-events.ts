import type { WebhookEvent } from "../core/webhook-events";
import type { AttemptResult } from "../db/queries/record-outcomes";
import type { JobRow } from "../db/schema";

/** The webhook events of the outcomes that took effect: completed, failed (to be retried) or dead. */
export function outcomeWebhookEvents(group: { job: JobRow; result: AttemptResult }[], applied: { has(id: string): boolean }, at: number): WebhookEvent[] {
  return group.flatMap(({ job, result }): WebhookEvent[] => {
    if (!applied.has(job.id)) return [];
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
    if (result.state === "completed") data.result = result.result ?? null;
    else data.error = result.error ?? null;
    if (result.state === "scheduled") data.retryAt = result.runAt?.toISOString() ?? null;
    return [{ type, queues: [job.queue], jobId: job.id, callbackUrl: job.callbackUrl, at, data }];
  });
}
