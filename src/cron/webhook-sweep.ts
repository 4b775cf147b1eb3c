import { withDb } from "../db/client";
import { strandedDeliveries } from "../db/queries/webhook-deliveries";
import type { Env } from "../env";
import { sendDeliveries } from "../webhooks/send";

/** A delivery filed but untried this long is sent to the webhooks queue again. */
export const UNTRIED_AFTER_MS = 5 * 60_000;
/** Cloudflare Queues delay a retry by 12 hours at most; a tried delivery silent past that (and a margin) lost its message. */
export const RETRIED_AFTER_MS = 12 * 3_600_000 + 10 * 60_000;
const LIMIT = 500;

/**
 * The cron duty that keeps webhook deliveries from being stranded: one whose hand-off to the queue
 * failed, or whose retry message the queue lost, is handed to it again. A receiver may then see a
 * delivery twice; the `webhook-id` header is the same, so it can tell.
 */
export async function runOnce(env: Env, now: number): Promise<{ resent: number }> {
  return withDb(env, async (db) => {
    const ids = await strandedDeliveries(db, new Date(now), { untriedAfterMs: UNTRIED_AFTER_MS, retriedAfterMs: RETRIED_AFTER_MS, limit: LIMIT });
    await sendDeliveries(env, db, ids, new Date(now));
    return { resent: ids.length };
  });
}
