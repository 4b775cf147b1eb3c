import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outcomeFacts } from "../../src/core/outcome-facts";
import * as sweep from "../../src/cron/webhook-sweep";
import { claimJobs } from "../../src/db/queries/claim-jobs";
import { recordOutcomes } from "../../src/db/queries/record-outcomes";
import type { DeliveryMessage } from "../../src/webhooks/delivery-message";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, pendingMessages } from "../helpers/deliver";
import { deliveriesOf, received, runDeliveries, target } from "../helpers/webhooks";

/** A webhooks queue binding that records what is sent to it, or refuses every send. */
function queueBinding(failing = false) {
  const sent: string[] = [];
  const binding = {
    send: async (body: DeliveryMessage) => {
      if (failing) throw new Error("queue unavailable");
      sent.push(body.d);
    },
    sendBatch: async (messages: Iterable<{ body: DeliveryMessage }>) => {
      if (failing) throw new Error("queue unavailable");
      for (const m of messages) sent.push(m.body.d);
    },
  } as unknown as Queue<DeliveryMessage>;
  return { binding, sent };
}

const MINUTE = 60_000;

describe("webhooks of an outcome", () => {
  it("are filed by the outcome's own statement, and not for an outcome that did not take effect", async () => {
    const queue = uniqueQueue("outbox");
    const hook = (await api("POST", "/api/v1/webhooks", { url: `${target}/flaky/${crypto.randomUUID().slice(0, 12)}`, events: ["job.completed"], queues: [queue] })).body;
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await pendingMessages(queue);
    const [claimed] = (await db((d) => claimJobs(d, [{ id: message!.id, lease: message!.l }], new Date(), "w"))).claimed;
    const event = { type: "job.completed" as const, queues: [queue], jobId: body.id as string, tenant: null, callbackUrl: null, body: { type: "job.completed", data: { jobId: body.id } } };
    const result = { id: body.id, lease: message!.l, attempt: claimed!.attempt, state: "completed" as const, outcome: "completed" as const, result: "ok", durationMs: 1, facts: outcomeFacts(claimed!, 1, Date.now(), null) };
    // The Worker dies right after this statement: nothing else runs, yet the delivery is there to sweep.
    const written = await db((d) => recordOutcomes(d, [result], new Date(), [event]));
    expect(written.applied.has(body.id)).toBe(true);
    expect(written.deliveries).toHaveLength(1);
    expect(await deliveriesOf(body.id, hook.id)).toMatchObject([{ id: written.deliveries[0], status: "pending", attempts: 0 }]);
    // The same outcome again (a duplicate runner): refused, and no second delivery.
    const again = await db((d) => recordOutcomes(d, [result], new Date(), [event]));
    expect(again).toEqual({ applied: new Map(), deliveries: [] });
    expect(await deliveriesOf(body.id, hook.id)).toHaveLength(1);
  });
});

describe("the webhook sweep", () => {
  it("sends again a delivery whose hand-off to the queue failed, once, and it arrives", async () => {
    const queue = uniqueQueue("sweep");
    const key = crypto.randomUUID().slice(0, 12);
    const hook = (await api("POST", "/api/v1/webhooks", { url: `${target}/flaky/${key}`, events: ["job.completed"], queues: [queue] })).body;
    const { body: job } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    // The job completes; filing its delivery works, handing it to the webhooks queue does not.
    await deliver(queue, { WEBHOOKS_QUEUE: queueBinding(true).binding });
    expect((await api("GET", `/api/v1/jobs/${job.id}`)).body.state).toBe("completed");
    const [filed] = await deliveriesOf(job.id, hook.id);
    expect(filed).toMatchObject({ status: "pending", attempts: 0 });

    const now = Date.now();
    const early = queueBinding();
    await sweep.runOnce({ ...env, WEBHOOKS_QUEUE: early.binding }, now + MINUTE);
    expect(early.sent).not.toContain(filed!.id);

    const late = queueBinding();
    await sweep.runOnce({ ...env, WEBHOOKS_QUEUE: late.binding }, now + 6 * MINUTE);
    expect(late.sent).toContain(filed!.id);
    // Handed over now: the next tick leaves it to the queue.
    const again = queueBinding();
    await sweep.runOnce({ ...env, WEBHOOKS_QUEUE: again.binding }, now + 7 * MINUTE);
    expect(again.sent).not.toContain(filed!.id);

    await runDeliveries([filed!.id]);
    expect(await deliveriesOf(job.id, hook.id)).toMatchObject([{ status: "delivered", attempts: 1 }]);
    expect(await received(key)).toHaveLength(1);
  });

  it("sends again a tried delivery whose retry message the queue lost", async () => {
    const queue = uniqueQueue("sweep");
    const hook = (await api("POST", "/api/v1/webhooks", { url: `${target}/flaky/${crypto.randomUUID().slice(0, 12)}?fail=1`, events: ["job.completed"], queues: [queue] })).body;
    const { body: job } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    await deliver(queue, { WEBHOOKS_QUEUE: queueBinding().binding });
    const [filed] = await deliveriesOf(job.id, hook.id);
    // The first try failed and asked for a retry, whose message then never came.
    await runDeliveries([filed!.id]);
    expect(await deliveriesOf(job.id, hook.id)).toMatchObject([{ status: "pending", attempts: 1 }]);

    const now = Date.now();
    const soon = queueBinding();
    await sweep.runOnce({ ...env, WEBHOOKS_QUEUE: soon.binding }, now + 60 * MINUTE);
    expect(soon.sent).not.toContain(filed!.id);
    const past = queueBinding();
    await sweep.runOnce({ ...env, WEBHOOKS_QUEUE: past.binding }, now + sweep.RETRIED_AFTER_MS + MINUTE);
    expect(past.sent).toContain(filed!.id);
    const sentAt = await db(async (d) => (await d.execute(sql`select sent_at from webhook_deliveries where id = ${filed!.id}`)).rows[0]!.sent_at);
    expect(Date.parse(String(sentAt))).toBe(now + sweep.RETRIED_AFTER_MS + MINUTE);
  });
});
