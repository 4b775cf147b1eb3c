import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import worker from "../../src/index";
import { WEBHOOKS_QUEUE_NAME, type DeliveryMessage } from "../../src/webhooks/delivery-message";
import { db } from "./db";

export const target = inject("httpTargetUrl");

/** What the HTTP target received for `key` (see test/http-target.ts). */
export async function received(key: string): Promise<{ headers: Record<string, string>; body: string }[]> {
  return (await fetch(`${target}/log/${key}`)).json();
}

/**
 * Runs the Worker's queue() handler on a webhooks-queue batch of these deliveries, as Cloudflare
 * Queues would bring them (`attempts` is the message's try), and returns its acks and retries,
 * with the delay each retry asked for (`retryDelays`, seconds, in message order).
 */
export async function runDeliveries(ids: string[], attempts = 1) {
  const batch = createMessageBatch<DeliveryMessage>(
    WEBHOOKS_QUEUE_NAME,
    ids.map((d, i) => ({ id: `wh-${d}-${attempts}-${i}`, timestamp: new Date(), attempts, body: { d } })),
  );
  const retryDelays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      retryDelays.push(options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  return { ...(await getQueueResult(batch, ctx)), retryDelays };
}

/**
 * Deliveries filed for a job, oldest first: to the subscription `webhookId`, or (null) to its
 * callback URL. Other tests' subscriptions may match the job too; they are left out.
 */
export async function deliveriesOf(jobId: string, webhookId: string | null): Promise<{ id: string; webhook_id: string | null; event: string; status: string; attempts: number }[]> {
  const which = webhookId === null ? sql`webhook_id is null` : sql`webhook_id = ${webhookId}`;
  return db(
    async (d) => (await d.execute(sql`select id, webhook_id, event, status, attempts from webhook_deliveries where job_id = ${jobId} and ${which} order by created_at, id`)).rows as never,
  );
}

/** Calls the Worker's fetch handler with these bindings changed (e.g. private targets not allowed). */
export async function fetchWith(bindings: Partial<Cloudflare.Env>, method: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`http://edgeq.test${path}`, {
      method,
      headers: { authorization: `Bearer ${env.EDGEQ_ADMIN_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...env, ...bindings },
    ctx,
  );
  return { status: response.status, body: (await response.json()) as any };
}
