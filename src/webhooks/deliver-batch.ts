import { deliveryRetryDelay } from "../core/webhook-events";
import { openDb } from "../db/client";
import { deliveriesToSend, recordDeliveryTries, type DeliveryToSend, type DeliveryTry } from "../db/queries/webhook-deliveries";
import type { Env } from "../env";
import { log } from "../log";
import { deliveryMessageSchema } from "./delivery-message";
import { postSigned } from "./post-signed";

/** A receiver gets this long to answer one try. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** When Postgres is unreachable, let the queue deliver the batch again after this long. */
const RETRY_DELAY_SECONDS = 10;

type Decision = { try: DeliveryTry | null; retryInSeconds: number | null };

/** Sends one delivery and decides what follows: done, another try after a delay, or given up. */
async function sendOne(env: Env, { delivery, secret, enabled }: DeliveryToSend): Promise<Decision> {
  const base = { id: delivery.id, responseStatus: null, durationMs: 0 };
  if (delivery.status !== "pending") return { try: null, retryInSeconds: null };
  if (!enabled) return { try: { ...base, status: "failed", error: "the webhook is disabled" }, retryInSeconds: null };
  const key = secret ?? env.EDGEQ_SIGNING_SECRET;
  if (!key) return { try: { ...base, status: "failed", error: "no signing secret: set EDGEQ_SIGNING_SECRET for callbacks" }, retryInSeconds: null };
  const sent = await postSigned({ url: delivery.url, secret: key, messageId: delivery.id, body: JSON.stringify(delivery.payload), timeoutMs: DELIVERY_TIMEOUT_MS });
  if (sent.ok) return { try: { id: delivery.id, status: "delivered", responseStatus: sent.status, error: null, durationMs: sent.durationMs }, retryInSeconds: null };
  const retryIn = deliveryRetryDelay(delivery.attempts + 1, sent.retryAfterMs === null ? null : Math.ceil(sent.retryAfterMs / 1000));
  return {
    try: { id: delivery.id, status: retryIn === null ? "failed" : "pending", responseStatus: sent.status, error: sent.error, durationMs: sent.durationMs },
    retryInSeconds: retryIn,
  };
}

/**
 * The Worker's queue() entry point for the webhooks queue: sends each delivery, signed, records
 * every try, and asks the queue to bring back the ones to retry after their backoff (the row's
 * `attempts`, not the message's, decides, so a redelivered delivery starts a fresh budget of tries).
 */
export async function handleDeliveryBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const byId = new Map<string, Message<unknown>[]>();
  for (const message of batch.messages) {
    const parsed = deliveryMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "dropping a malformed delivery message", { messageId: message.id });
      message.ack();
      continue;
    }
    byId.set(parsed.data.d, [...(byId.get(parsed.data.d) ?? []), message]);
  }
  const { db, close } = openDb(env);
  try {
    const found = await deliveriesToSend(db, [...byId.keys()]);
    const decisions = await Promise.all(found.map(async (d) => ({ id: d.delivery.id, ...(await sendOne(env, d)) })));
    await recordDeliveryTries(db, decisions.flatMap((d) => (d.try ? [d.try] : [])), new Date());
    const retryIn = new Map(decisions.map((d) => [d.id, d.retryInSeconds]));
    for (const [id, messages] of byId) {
      const delay = retryIn.get(id) ?? null;
      // A duplicate message of the same delivery is acked: one try per batch is enough.
      messages.forEach((m, i) => (delay !== null && i === 0 ? m.retry({ delaySeconds: delay }) : m.ack()));
    }
  } catch (error) {
    log("error", "webhook deliveries failed before their tries were recorded; they will come again", { messages: batch.messages.length }, error);
    batch.retryAll({ delaySeconds: RETRY_DELAY_SECONDS });
  } finally {
    ctx.waitUntil(close().catch(() => undefined));
  }
}
