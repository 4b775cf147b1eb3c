import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { completeBatches } from "../../src/db/queries/complete-batches";
import { submitJobs } from "../../src/jobs/submit";
import { api, uniqueQueue } from "../helpers/api";
import { db, jobCount } from "../helpers/db";
import { drain, pendingMessages, runBatch } from "../helpers/deliver";
import { connect } from "../helpers/live";

const batchCount = (name: string) =>
  db(async (d) => ((await d.execute(sql`select count(*)::int as n from job_batches where name = ${name}`)).rows[0] as { n: number }).n);

describe("job batches", () => {
  it("submits a named batch, reports progress, and completes when its last job is final", async () => {
    const queue = uniqueQueue("batch");
    const jobs = [...Array.from({ length: 18 }, (_, i) => ({ type: "echo", payload: { i } })), { type: "fail", payload: { retryable: false } }, { type: "echo", idempotencyKey: "k" }];
    await api("POST", "/api/v1/jobs", { queue, type: "echo", idempotencyKey: "k" });
    const res = await api("POST", "/api/v1/job-batches", { name: "nightly import", queue, callbackUrl: "https://example.com/hooks/batch", jobs });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "nightly import", total: 19, existing: 1, progress: 0, completed: false, finishedAt: null, callbackUrl: "https://example.com/hooks/batch" });
    expect(res.body.jobs).toHaveLength(20);
    expect(res.body.counts.queued).toBe(19);
    const child = await api("GET", `/api/v1/jobs/${res.body.jobs[0].id}`);
    expect(child.body.batchId).toBe(res.body.id);

    await drain(queue);
    const done = await api("GET", `/api/v1/job-batches/${res.body.id}`);
    expect(done.body).toMatchObject({ total: 19, counts: { completed: 18, dead: 1 }, progress: 1, completed: true });
    expect(Date.parse(done.body.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.body.createdAt));
    expect((await api("GET", `/api/v1/job-batches/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("takes 10,000 jobs in one request, in chunks of one transaction", async () => {
    const queue = uniqueQueue("big");
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const jobs = Array.from({ length: 10_000 }, (_, i) => ({ type: "echo", payload: i }));
    const res = await api("POST", "/api/v1/job-batches", { name: "ten thousand", queue, jobs });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ total: 10_000, counts: { queued: 10_000 } });
    expect(await jobCount(queue)).toBe(10_000);
  });

  it("writes nothing, batch row included, when a statement of its transaction fails", async () => {
    const queue = uniqueQueue("atomic");
    const good = { type: "echo", payload: null, priority: 5, runAt: null };
    // 1,500 jobs are two insert statements; priority 99 passes no API validation and fails the second.
    const items = Array.from({ length: 1500 }, (_, i) => ({ queue, tenant: null, job: i === 1499 ? { ...good, priority: 99 } : good }));
    await expect(db((d) => submitJobs(env, d, items, new Date(), "key:test", { id: crypto.randomUUID(), name: "doomed", callbackUrl: null, tenantId: null }))).rejects.toThrow();
    expect(await jobCount(queue)).toBe(0);
    expect(await batchCount("doomed")).toBe(0);
  });

  it("completes once, with one event, when two consumers finish its last jobs at the same moment", async () => {
    const live = await connect(`type=batch.completed&access_token=${env.EDGEQ_ADMIN_KEY}`);
    await live.next((m) => m.type === "hello");
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      const [a, b] = [uniqueQueue("ra"), uniqueQueue("rb")];
      const res = await api("POST", "/api/v1/job-batches", { name: `race ${round}`, jobs: [{ queue: a, type: "echo" }, { queue: b, type: "echo" }] });
      ids.push(res.body.id);
      // Two queue invocations at once, each finishing one of the batch's two jobs.
      const [ma, mb] = [await pendingMessages(a), await pendingMessages(b)];
      await Promise.all([runBatch(ma), runBatch(mb)]);
      expect((await api("GET", `/api/v1/job-batches/${res.body.id}`)).body).toMatchObject({ completed: true, counts: { completed: 2 } });
    }
    // Events arrive in order: once this later batch's event is in, any second event of the others would be too.
    const queue = uniqueQueue("sentinel");
    const sentinel = await api("POST", "/api/v1/job-batches", { name: "sentinel", queue, jobs: [{ type: "echo" }] });
    await drain(queue);
    await live.next((m) => !!m.events?.some((e) => e.batchId === sentinel.body.id));
    for (const id of ids) expect(live.events().filter((e) => e.batchId === id)).toHaveLength(1);
  });

  it("lets exactly one of many concurrent completion checks win", async () => {
    const queue = uniqueQueue("winner");
    const res = await api("POST", "/api/v1/job-batches", { name: "winner", queue, jobs: [{ type: "echo" }] });
    await db((d) => d.execute(sql`update jobs set state = 'completed' where batch_id = ${res.body.id}`));
    const results = await Promise.all(Array.from({ length: 10 }, () => db((d) => completeBatches(d, { ids: [res.body.id] }, new Date()))));
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("refuses an oversized or malformed batch with a 400 and writes nothing", async () => {
    const queue = uniqueQueue("badbatch");
    const cases: [string, unknown, string][] = [
      ["10,001 jobs", { name: "big", queue, jobs: Array.from({ length: 10_001 }, () => ({ type: "echo" })) }, "10000"],
      ["no jobs", { name: "empty", queue, jobs: [] }, "jobs"],
      ["no name", { queue, jobs: [{ type: "echo" }] }, "name"],
      ["a callback that is not a URL", { name: "cb", queue, callbackUrl: "not a url", jobs: [{ type: "echo" }] }, "callbackUrl"],
      ["a bad job among good ones", { name: "mixed", queue, jobs: [{ type: "echo" }, { type: "echo", priority: 99 }] }, "jobs.1.priority"],
    ];
    for (const [name, body, mentions] of cases) {
      const res = await api("POST", "/api/v1/job-batches", body);
      expect({ name, status: res.status, code: res.body.error?.code }).toEqual({ name, status: 400, code: "validation_failed" });
      expect(res.body.error.message + JSON.stringify(res.body.error.details)).toContain(mentions);
    }
    expect(await jobCount(queue)).toBe(0);
    for (const name of ["big", "empty", "cb", "mixed"]) expect(await batchCount(name)).toBe(0);
  });
});
