import { CALLBACK_EVENT_TYPES, webhookBody, type WebhookEvent } from "../core/webhook-events";
import type { Db } from "../db/client";
import { insertDeliveries } from "../db/queries/webhook-deliveries";
import type { Env } from "../env";
import { log } from "../log";
import type { DeliveryMessage } from "./delivery-message";

/** Cloudflare Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

/**
 * The one entry for every webhook event, whatever made it (job outcomes, batches): files a delivery
 * for each matching subscription and callback URL in one statement, then hands them to the
 * webhooks queue, whose consumer sends and retries them. Meant for `waitUntil`: it never throws,
 * so a webhook can neither delay nor fail what caused it.
 */
export async function dispatchWebhookEvents(env: Env, db: Db, events: WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const ids = await insertDeliveries(
      db,
      events.map((e) => ({
        type: e.type,
        queues: e.queues,
        jobId: e.jobId,
        callbackUrl: CALLBACK_EVENT_TYPES.includes(e.type) ? e.callbackUrl : null,
        body: webhookBody(e),
      })),
      new Date(),
    );
    for (let i = 0; i < ids.length; i += SEND_BATCH) {
      await env.WEBHOOKS_QUEUE.sendBatch(ids.slice(i, i + SEND_BATCH).map((d) => ({ body: { d } satisfies DeliveryMessage })));
    }
  } catch (error) {
    log("error", "webhook events were not dispatched", { events: events.length, types: [...new Set(events.map((e) => e.type))] }, error);
  }
}
