import type { Db } from "../db/client";
import { markSent } from "../db/queries/webhook-deliveries";
import type { Env } from "../env";
import type { DeliveryMessage } from "./delivery-message";

/** Cloudflare Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

/**
 * Hands filed deliveries to the webhooks queue and notes when, so the sweep can tell a delivery the
 * queue holds from one whose send failed.
 */
export async function sendDeliveries(env: Env, db: Db, ids: string[], now: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += SEND_BATCH) {
    const chunk = ids.slice(i, i + SEND_BATCH);
    await env.WEBHOOKS_QUEUE.sendBatch(chunk.map((d) => ({ body: { d } satisfies DeliveryMessage })));
    await markSent(db, chunk, now);
  }
}
