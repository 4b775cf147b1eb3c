import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../helpers/db";
import { api, uniqueQueue } from "../helpers/api";
import { deliver, scheduler } from "../helpers/deliver";
import { deliveriesOf, fetchWith, received, runDeliveries, target } from "../helpers/webhooks";

const key = () => crypto.randomUUID().slice(0, 12);

async function subscribe(body: Record<string, unknown>) {
  const created = await api("POST", "/api/v1/webhooks", body);
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
}

/** Submits an echo job to a fresh queue, runs it, and returns the job's id and the queue. */
async function completedJob(queue = uniqueQueue(), extra: Record<string, unknown> = {}) {
  const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: { n: 1 }, ...extra });
  await deliver(queue);
  return { jobId: body.id as string, queue };
}

describe("webhook subscriptions", () => {
  it("are made with a secret shown once, listed, changed and deleted", async () => {
    const made = await subscribe({ url: `${target}/flaky/${key()}`, events: ["job.completed", "job.dead"], queues: ["a", "b"], description: "ops" });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = (await api("GET", "/api/v1/webhooks")).body.webhooks.find((w: { id: string }) => w.id === made.id);
    expect(listed).toMatchObject({ events: ["job.completed", "job.dead"], queues: ["a", "b"], enabled: true, description: "ops" });
    expect(listed).not.toHaveProperty("secret");
    expect((await api("PUT", `/api/v1/webhooks/${made.id}`, { enabled: false, queues: [] })).body).toMatchObject({ enabled: false, queues: [] });
    expect((await api("DELETE", `/api/v1/webhooks/${made.id}`)).status).toBe(200);
    expect((await api("GET", `/api/v1/webhooks/${made.id}`)).status).toBe(404);
  });

  it("refuse bad input with 4xx JSON errors and write nothing", async () => {
    const bad = [
      { url: `${target}/x`, events: [] },
      { url: `${target}/x`, events: ["job.exploded"] },
      { url: `${target}/x`, events: ["job.completed"], queues: ["bad queue name"] },
      { url: "not a url", events: ["job.completed"] },
      { events: ["job.completed"] },
    ];
    for (const body of bad) {
      const answer = await api("POST", "/api/v1/webhooks", body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toMatch(/validation_failed|target_not_allowed/);
    }
    expect((await api("PUT", `/api/v1/webhooks/${crypto.randomUUID()}`, { enabled: false })).status).toBe(404);
    expect((await api("GET", "/api/v1/webhooks/not-a-uuid/deliveries")).status).toBe(400);
  });

  it("refuse private, loopback and link-local targets unless EDGEQ_ALLOW_PRIVATE_WEBHOOKS is set", async () => {
    const off = { EDGEQ_ALLOW_PRIVATE_WEBHOOKS: undefined };
    for (const url of ["https://127.0.0.1/hook", "https://10.0.0.8/hook", "https://169.254.169.254/latest", "https://localhost/x", "http://example.com/x"]) {
      const answer = await fetchWith(off, "POST", "/api/v1/webhooks", { url, events: ["job.completed"] });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: "target_not_allowed" } } });
    }
    const job = await fetchWith(off, "POST", "/api/v1/jobs", { queue: uniqueQueue(), type: "echo", callbackUrl: `${target}/x` });
    expect(job).toMatchObject({ status: 400, body: { error: { code: "target_not_allowed" } } });
    const allowed = await fetchWith(off, "POST", "/api/v1/webhooks", { url: "https://hooks.example.com/edgeq", events: ["job.completed"], queues: [uniqueQueue()] });
    expect(allowed.status).toBe(201);
  });
});

describe("webhook deliveries", () => {
  it("are signed as Standard Webhooks says: the verifier accepts them and refuses tampered ones", async () => {
    const queue = uniqueQueue();
    const k = key();
    const hook = await subscribe({ url: `${target}/flaky/${k}`, events: ["job.completed"], queues: [queue] });
    const { jobId } = await completedJob(queue);
    const [delivery] = await deliveriesOf(jobId, hook.id);
    expect(delivery).toMatchObject({ webhook_id: hook.id, event: "job.completed", status: "pending", attempts: 0 });
    expect((await runDeliveries([delivery!.id])).explicitAcks).toHaveLength(1);

    const [request] = await received(k);
    const headers = request!.headers;
    expect(headers["webhook-id"]).toBe(delivery!.id);
    expect(headers.authorization).toBeUndefined();
    const verified = new Webhook(hook.secret).verify(request!.body, headers) as { type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({ type: "job.completed", data: { jobId, queue, type: "echo", state: "completed", attempt: 1, result: { n: 1 } } });

    expect(() => new Webhook(hook.secret).verify(request!.body.replace('"n":1', '"n":2'), headers)).toThrow();
    expect(() => new Webhook(hook.secret).verify(request!.body, { ...headers, "webhook-id": crypto.randomUUID() })).toThrow();
    const otherSecret = (await subscribe({ url: `${target}/flaky/${key()}`, events: ["job.dead"], queues: [uniqueQueue()] })).secret;
    expect(() => new Webhook(otherSecret).verify(request!.body, headers)).toThrow();

    const log = (await api("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).body.deliveries;
    expect(log).toEqual([expect.objectContaining({ id: delivery!.id, status: "delivered", attempts: 1, responseStatus: 200, lastError: null, durationMs: expect.any(Number) })]);
  });

  it("a receiver that answers 500 three times gets the delivery on the fourth try, after growing backoffs", async () => {
    const queue = uniqueQueue();
    const k = key();
    const hook = await subscribe({ url: `${target}/flaky/${k}?fail=3`, events: ["job.completed"], queues: [queue] });
    const { jobId } = await completedJob(queue);
    const [delivery] = await deliveriesOf(jobId, hook.id);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await runDeliveries([delivery!.id], attempt);
      expect(result.retryMessages).toHaveLength(1);
      delays.push(result.retryDelays[0]!);
      const [row] = (await api("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).body.deliveries;
      expect(row).toMatchObject({ status: "pending", attempts: attempt, responseStatus: 500, lastError: expect.stringContaining("500") });
    }
    expect(delays).toEqual([5, 30, 120]);
    const fourth = await runDeliveries([delivery!.id], 4);
    expect(fourth.explicitAcks).toEqual([`wh-${delivery!.id}-4-0`]);
    const [row] = (await api("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).body.deliveries;
    expect(row).toMatchObject({ status: "delivered", attempts: 4, responseStatus: 200, deliveredAt: expect.any(String) });
    const requests = await received(k);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([delivery!.id]));
    expect(new Webhook(hook.secret).verify(requests[3]!.body, requests[3]!.headers)).toMatchObject({ data: { jobId } });
  });

  it("gives up after its last try, and a redelivery starts a fresh budget", async () => {
    const queue = uniqueQueue();
    const k = key();
    const hook = await subscribe({ url: `${target}/flaky/${k}?fail=8`, events: ["job.completed"], queues: [queue] });
    const { jobId } = await completedJob(queue);
    const [delivery] = await deliveriesOf(jobId, hook.id);
    const redeliver = () => api("POST", `/api/v1/webhooks/${hook.id}/deliveries/${delivery!.id}/redeliver`);
    expect((await redeliver()).body.error.code).toBe("delivery_pending");
    for (let attempt = 1; attempt < 8; attempt++) expect((await runDeliveries([delivery!.id], attempt)).retryMessages).toHaveLength(1);
    const last = await runDeliveries([delivery!.id], 8);
    expect(last.retryMessages).toHaveLength(0);
    expect((await api("GET", `/api/v1/webhooks/${hook.id}/deliveries?status=failed`)).body.deliveries).toEqual([
      expect.objectContaining({ id: delivery!.id, status: "failed", attempts: 8 }),
    ]);

    const again = await redeliver();
    expect(again).toMatchObject({ status: 202, body: { status: "pending", attempts: 0 } });
    expect((await runDeliveries([delivery!.id])).explicitAcks).toHaveLength(1);
    expect((await deliveriesOf(jobId, hook.id))[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect((await api("POST", `/api/v1/webhooks/${hook.id}/deliveries/${crypto.randomUUID()}/redeliver`)).status).toBe(404);
  });

  it("match by event and queue: a failed attempt, then the dead job, and nothing for other queues", async () => {
    const queue = uniqueQueue();
    const hook = await subscribe({ url: `${target}/flaky/${key()}`, events: ["job.failed", "job.dead"], queues: [queue] });
    const other = uniqueQueue();
    const { body: elsewhere } = await api("POST", "/api/v1/jobs", { queue: other, type: "fail", maxAttempts: 1 });
    await deliver(other);
    expect(await deliveriesOf(elsewhere.id, hook.id)).toEqual([]);

    const { body: job } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { message: "boom" }, maxAttempts: 2, backoff: { type: "fixed", delayMs: 1000 } });
    await deliver(queue);
    await scheduler(queue).tick(Date.now() + 2000);
    await deliver(queue);
    const deliveries = await deliveriesOf(job.id, hook.id);
    expect(deliveries.map((d) => [d.webhook_id, d.event])).toEqual([
      [hook.id, "job.failed"],
      [hook.id, "job.dead"],
    ]);
    // Each carries its attempt's error (added from the outcome row by the outcome's statement).
    const payloads = await db(async (d) => (await d.execute(sql`select payload from webhook_deliveries where id in ${deliveries.map((x) => x.id)} order by created_at`)).rows);
    expect(payloads.map((p) => (p.payload as { data: { error: { message: string }; state: string } }).data)).toMatchObject([
      { state: "scheduled", error: { message: "boom" }, retryAt: expect.any(String) },
      { state: "dead", error: { message: "boom" } },
    ]);
  });

  it("tell a job's callbackUrl its final outcome, signed with the deployment's signing secret", async () => {
    const k = key();
    const { jobId } = await completedJob(uniqueQueue(), { callbackUrl: `${target}/flaky/${k}` });
    const [callback] = await deliveriesOf(jobId, null);
    expect(callback).toMatchObject({ webhook_id: null, event: "job.completed" });
    expect((await runDeliveries([callback!.id])).explicitAcks).toHaveLength(1);
    const [request] = await received(k);
    expect(new Webhook(env.EDGEQ_SIGNING_SECRET!).verify(request!.body, request!.headers)).toMatchObject({ type: "job.completed", data: { jobId } });
    expect((await api("GET", `/api/v1/jobs/${jobId}`)).body.callbackUrl).toBe(`${target}/flaky/${k}`);
  });

  it("tell subscribers and the batch's callbackUrl that a batch completed", async () => {
    const queue = uniqueQueue();
    const k = key();
    const hook = await subscribe({ url: `${target}/flaky/${key()}`, events: ["batch.completed"], queues: [queue] });
    const made = await api("POST", "/api/v1/job-batches", { name: "import", queue, callbackUrl: `${target}/flaky/${k}`, jobs: [{ type: "echo" }, { type: "echo" }] });
    expect(made.status).toBe(201);
    await deliver(queue);
    const rows = await db(async (d) => (await d.execute(sql`select id, webhook_id, event from webhook_deliveries where payload->'data'->>'batchId' = ${made.body.id} order by webhook_id nulls first`)).rows as { id: string; webhook_id: string | null; event: string }[]);
    expect(rows.map((r) => [r.webhook_id, r.event])).toEqual([
      [null, "batch.completed"],
      [hook.id, "batch.completed"],
    ]);
    expect((await runDeliveries([rows[0]!.id])).explicitAcks).toHaveLength(1);
    const [request] = await received(k);
    expect(new Webhook(env.EDGEQ_SIGNING_SECRET!).verify(request!.body, request!.headers)).toMatchObject({
      type: "batch.completed",
      data: { batchId: made.body.id, name: "import", total: 2, counts: { completed: 2 } },
    });
  });
});
