/** Events a webhook may subscribe to. `job.failed` is an attempt that failed and will be retried. */
export const WEBHOOK_EVENT_TYPES = ["job.completed", "job.failed", "job.dead", "batch.completed"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Where a delivery stands: on its way (or between retries), received (2xx), or given up on. */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Events a job's callback URL is told: its final outcomes. */
export const CALLBACK_EVENT_TYPES: readonly WebhookEventType[] = ["job.completed", "job.dead", "batch.completed"];

/**
 * One event for subscribers: what happened, in which queues (a subscription's queue filter matches
 * any of them), and the body's `data`. `callbackUrl` is the job's (or batch's) own receiver, told as
 * well when the event is final.
 */
export interface WebhookEvent {
  type: WebhookEventType;
  queues: string[];
  jobId: string | null;
  callbackUrl: string | null;
  /** The tenant of an event with no job (a batch's); a job's event has its job's tenant. */
  tenant?: string | null;
  /** Epoch ms. */
  at: number;
  data: Record<string, unknown>;
}

/** The JSON body receivers get, in the shape Standard Webhooks recommends. */
export function webhookBody(event: WebhookEvent): { type: WebhookEventType; timestamp: string; data: Record<string, unknown> } {
  return { type: event.type, timestamp: new Date(event.at).toISOString(), data: event.data };
}

/** Tries a delivery gets before it is marked failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** Waits after each failed try (the last one ends the delivery), as Standard Webhooks senders space them. */
const RETRY_DELAYS_S = [5, 30, 120, 600, 1800, 3600, 10800];

/** Seconds before try `attempts + 1`, or null when `attempts` tries are all it gets. A receiver's Retry-After is a floor. */
export function deliveryRetryDelay(attempts: number, retryAfterS: number | null = null): number | null {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  const base = RETRY_DELAYS_S[Math.min(attempts, RETRY_DELAYS_S.length) - 1] ?? RETRY_DELAYS_S[0]!;
  // Cloudflare Queues delay a retry by at most 12 hours.
  return Math.min(Math.max(base, retryAfterS ?? 0), 43_200);
}
