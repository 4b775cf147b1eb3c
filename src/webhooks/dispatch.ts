import { CALLBACK_EVENT_TYPES, webhookBody, type WebhookEvent } from "../core/webhook-events";
import type { Db } from "../db/client";
import { insertDeliveries, type EventToMatch } from "../db/queries/webhook-deliveries";
import type { Env } from "../env";
import { log } from "../log";
import { sendDeliveries } from "./send";

/** An event as a delivery to file: the body every receiver gets, and the callback URL if its type has callbacks. */
export function toMatch(e: WebhookEvent): EventToMatch {
  return { type: e.type, queues: e.queues, jobId: e.jobId, tenant: e.tenant ?? null, callbackUrl: CALLBACK_EVENT_TYPES.includes(e.type) ? e.callbackUrl : null, body: webhookBody(e) };
}

/**
 * The entry for webhook events made outside an outcome write (batches): files a delivery
 * for each matching subscription and callback URL in one statement, then hands them to the
 * webhooks queue, whose consumer sends and retries them. Meant for `waitUntil`: it never throws,
 * so a webhook can neither delay nor fail what caused it; a delivery filed but not handed to the
 * queue is sent again by the cron sweep (src/cron/webhook-sweep.ts).
 */
export async function dispatchWebhookEvents(env: Env, db: Db, events: WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const now = new Date();
    const ids = await insertDeliveries(
      db,
      events.map(toMatch),
      now,
    );
    await sendDeliveries(env, db, ids, now);
  } catch (error) {
    log("error", "webhook events were not dispatched", { events: events.length, types: [...new Set(events.map((e) => e.type))] }, error);
  }
}
