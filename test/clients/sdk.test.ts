import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EdgeqError, EdgeqTimeoutError, type LiveEvent } from "../../src/client";
import { client, uniqueQueue } from "./helpers";

const edgeq = client();

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<EdgeqError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(EdgeqError);
  return error as EdgeqError;
}

describe("the SDK against the dev stack", () => {
  it("submits a job with a generated idempotency key, waits for it, and replays the key", async () => {
    const queue = uniqueQueue();
    const job = await edgeq.submit({ queue, type: "echo", payload: { hello: "sdk" } });
    expect(job).toMatchObject({ queue, type: "echo", created: true });
    expect(job.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    const done = await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
    expect(done).toMatchObject({ state: "completed", result: { hello: "sdk" } });
    expect(done.attempts).toHaveLength(1);
    expect((await edgeq.get(job.id)).attempts[0]?.outcome).toBe("completed");

    const again = await edgeq.submit({ queue, type: "echo", idempotencyKey: job.idempotencyKey! });
    expect(again).toMatchObject({ id: job.id, created: false });
  });

  it("submits a batch, each job with its own key, and lists it page by page", async () => {
    const queue = uniqueQueue();
    const batch = await edgeq.submitBatch({ queue, jobs: Array.from({ length: 5 }, (_, i) => ({ type: "echo", payload: { i }, delay: "1h" })) });
    expect(batch).toMatchObject({ created: 5, existing: 0 });
    const keys = new Set<string>();
    const pages = [];
    for await (const page of edgeq.list({ queue, limit: 2 })) {
      pages.push(page.jobs.length);
      for (const j of page.jobs) keys.add(j.idempotencyKey!);
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(keys.size).toBe(5);
    expect((await edgeq.listPage({ queue, state: "scheduled", limit: 10 })).jobs).toHaveLength(5);
  });

  it("cancels a job that has not run, and says why a second cancel is refused", async () => {
    const job = await edgeq.submit({ queue: uniqueQueue(), type: "echo", delay: 3600 });
    expect(await edgeq.cancel(job.id)).toMatchObject({ id: job.id, state: "cancelled" });
    const error = await failure(edgeq.cancel(job.id));
    expect(error).toMatchObject({ status: 409, code: "job_final" });
    expect(error.requestId).toBeTruthy();
  });

  it("times out waiting for a job that is not due", async () => {
    const job = await edgeq.submit({ queue: uniqueQueue(), type: "echo", delay: "1h" });
    const error = await edgeq.waitFor(job.id, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgeqTimeoutError);
    expect(error).toMatchObject({ jobId: job.id, lastState: "scheduled" });
  });

  it("dead-letters, lists, retries (job and DLQ) and deletes", async () => {
    const queue = uniqueQueue("dlq");
    const job = await edgeq.submit({ queue, type: "fail", payload: { retryable: false, message: "boom" } });
    expect(await edgeq.waitFor(job.id, { timeoutMs: 30_000 })).toMatchObject({ state: "dead", error: { message: "boom" } });

    const dead = [];
    for await (const page of edgeq.dlq.list({ queue })) dead.push(...page.jobs.map((j) => j.id));
    expect(dead).toEqual([job.id]);

    expect(await edgeq.retry(job.id)).toMatchObject({ id: job.id, state: "queued" });
    await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
    expect(await edgeq.dlq.retry({ ids: [job.id] })).toMatchObject({ retried: 1, ids: [job.id], more: false });
    await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
    expect(await edgeq.dlq.retry({ filter: { queue }, limit: 10 })).toMatchObject({ retried: 1, more: false });
    await edgeq.waitFor(job.id, { timeoutMs: 30_000 });

    expect(await edgeq.dlq.delete(job.id)).toEqual({ deleted: true, id: job.id });
    expect(await failure(edgeq.dlq.delete(job.id))).toMatchObject({ status: 404, code: "not_found" });
    expect(await failure(edgeq.retry(randomUUID()))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("sets, reads, pauses and resumes queues", async () => {
    const name = uniqueQueue("cfg");
    expect(await edgeq.queues.set(name, { concurrency: 7, maxAttempts: 4 })).toMatchObject({ name, concurrency: 7, maxAttempts: 4, paused: false });
    expect(await edgeq.queues.pause(name)).toMatchObject({ paused: true });
    expect((await edgeq.queues.get(name)).scheduler).toMatchObject({ ready: 0 });
    expect((await edgeq.queues.list()).find((q) => q.name === name)).toMatchObject({ paused: true });
    expect(await edgeq.queues.resume(name)).toMatchObject({ paused: false });
    expect(await failure(edgeq.queues.get(uniqueQueue("none")))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("manages a schedule from creation to deletion", async () => {
    const name = `sdk-${randomUUID().slice(0, 8)}`;
    const created = await edgeq.schedules.create({ name, cron: "0 9 * * MON-FRI", timezone: "Europe/Berlin", job: { queue: uniqueQueue(), type: "echo" } });
    expect(created).toMatchObject({ name, enabled: true });
    expect((await edgeq.schedules.list()).map((s) => s.id)).toContain(created.id);
    expect((await edgeq.schedules.next(created.id, 3)).next).toHaveLength(3);
    expect(await edgeq.schedules.update(created.id, { cron: "0 8 * * *" })).toMatchObject({ cron: "0 8 * * *" });
    const fired = await edgeq.schedules.trigger(created.id);
    expect(fired.schedule.lastJob?.id).toBe(fired.job.id);
    expect(await edgeq.schedules.pause(created.id)).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await edgeq.schedules.resume(created.id)).toMatchObject({ enabled: true });
    expect(await failure(edgeq.schedules.create({ name, cron: "* * * * *", job: { type: "echo" } }))).toMatchObject({ status: 409, code: "schedule_exists" });
    expect(await edgeq.schedules.delete(created.id)).toEqual({ deleted: true, id: created.id });
    expect(await failure(edgeq.schedules.get(created.id))).toMatchObject({ status: 404 });
  });

  it("makes, lists and revokes keys; each key's scope is enforced", async () => {
    const reader = await edgeq.keys.create({ name: "sdk-reader", scopes: ["read"] });
    expect(reader.key).toBeTruthy();
    expect((await edgeq.keys.list()).map((k) => k.id)).toContain(reader.id);
    const asReader = client(reader.key);
    expect((await asReader.listPage({ limit: 1 })).jobs.length).toBeLessThanOrEqual(1);
    expect(await failure(asReader.submit({ type: "echo" }))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await edgeq.keys.revoke(reader.id)).toMatchObject({ id: reader.id });
    expect(await failure(asReader.listPage())).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await failure(client("not-a-key").listPage())).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("reports bad input with the API's code and the fields at fault", async () => {
    const error = await failure(edgeq.submit({ queue: "bad queue!", type: "echo" }));
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(error.details).toEqual([expect.objectContaining({ path: "queue" })]);
    expect(await failure(edgeq.get("not-a-uuid"))).toMatchObject({ status: 400, code: "validation_failed" });
    expect(await failure(edgeq.get(randomUUID()))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("retries 429 answers after Retry-After, and gives up when told not to retry", async () => {
    const limited = await edgeq.keys.create({ name: "sdk-limited", scopes: ["read"], rateLimit: { limit: 2, windowMs: 1000 } });
    const patient = client(limited.key);
    const started = Date.now();
    for (let i = 0; i < 4; i++) await patient.listPage({ limit: 1 });
    expect(Date.now() - started).toBeGreaterThan(500);
    const impatient = client(limited.key, { maxRetries: 0 });
    const codes = await Promise.all(Array.from({ length: 4 }, () => impatient.listPage({ limit: 1 }).then(() => "ok", (e: EdgeqError) => e.code)));
    expect(codes).toContain("rate_limited");
  });

  it("reads analytics and health", async () => {
    const overview = await edgeq.analytics("overview");
    expect(Array.isArray(overview.queues)).toBe(true);
    const throughput = await edgeq.analytics("throughput", { step: "1h" });
    expect(throughput.stepMs).toBe(3_600_000);
    expect(await failure(edgeq.analytics("sla", { targetMs: -1 }))).toMatchObject({ status: 400 });
    expect(await edgeq.health()).toMatchObject({ status: "ok", postgres: { ok: true } });
  });

  it("explains failures as insights, and lists and reads them", async () => {
    const queue = uniqueQueue("insight");
    const job = await edgeq.submit({ queue, type: "fail", payload: { retryable: false, message: "ECONNREFUSED 10.0.0.7:5432" } });
    await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
    const insight = await edgeq.insights.analyze(job.id);
    expect(insight).toMatchObject({ job_id: job.id, queue, source: "builtin" });
    expect(insight.failure_category).toBeTruthy();
    expect(await edgeq.insights.get(insight.id)).toMatchObject({ id: insight.id });
    const found = [];
    for await (const page of edgeq.insights.list({ queue })) found.push(...page.insights.map((i) => i.id));
    expect(found).toContain(insight.id);

    const ok = await edgeq.submit({ queue, type: "echo" });
    await edgeq.waitFor(ok.id, { timeoutMs: 30_000 });
    expect(await failure(edgeq.insights.analyze(ok.id))).toMatchObject({ status: 409, code: "job_not_failed" });
    expect(await failure(edgeq.insights.get(randomUUID()))).toMatchObject({ status: 404 });
  });

  it("predicts success and ETAs, advises on scaling, and lists anomalies", async () => {
    const queue = uniqueQueue("predict");
    const batch = await edgeq.submitBatch({ queue, jobs: Array.from({ length: 25 }, () => ({ type: "echo" })) });
    await Promise.all(batch.jobs.map((j) => edgeq.waitFor(j.id, { timeoutMs: 30_000 })));
    const prediction = await edgeq.predictSuccess({ queue, type: "echo" });
    expect(prediction.probability).toBeGreaterThanOrEqual(0);
    expect(prediction.probability).toBeLessThanOrEqual(1);
    expect(prediction.model.samples).toBeGreaterThanOrEqual(20);

    await edgeq.queues.pause(queue);
    const waiting = await edgeq.submit({ queue, type: "echo" });
    expect(await edgeq.eta(waiting.id)).toMatchObject({ id: waiting.id, queue, position: 1 });
    expect(await failure(edgeq.eta(batch.jobs[0]!.id))).toMatchObject({ status: 409, code: "job_not_queued" });
    expect(await edgeq.queues.scaling(queue, { targetLatencyMs: 1000 })).toMatchObject({ queue, targetLatencyMs: 1000, currentConcurrency: 50 });
    expect(await failure(edgeq.queues.scaling(uniqueQueue("none")))).toMatchObject({ status: 404 });
    expect(Array.isArray((await edgeq.anomalies.listPage({ queue })).anomalies)).toBe(true);
    expect(Array.isArray((await edgeq.analytics("slowJobs", { queue })).types)).toBe(true);
  });

  it("tails live events for a queue", async () => {
    const queue = uniqueQueue("tail");
    const abort = new AbortController();
    const seen: LiveEvent[] = [];
    const { promise: opened, resolve: onOpen } = Promise.withResolvers<void>();
    const tail = (async () => {
      for await (const event of edgeq.tail({ queue: [queue], type: ["job.completed"], signal: abort.signal, onOpen })) {
        seen.push(event);
        abort.abort();
      }
    })();
    await opened;
    const job = await edgeq.submit({ queue, type: "echo" });
    await tail;
    expect(seen[0]).toMatchObject({ type: "job.completed", queue, jobId: job.id });
  });
});
