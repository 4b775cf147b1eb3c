import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { api, uniqueQueue } from "../helpers/api";
import { deliver, scheduler } from "../helpers/deliver";

describe("queues", () => {
  it("creates a queue with defaults on first submit and shows counts by state", async () => {
    const queue = uniqueQueue();
    await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo", delay: 600 }, { type: "fail", payload: { retryable: false } }] });
    await deliver(queue);
    const res = await api("GET", `/api/v1/queues/${queue}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: queue, paused: false, concurrency: 50, maxAttempts: 3, counts: { completed: 1, scheduled: 1, dead: 1 } });
    expect(res.body.scheduler).toMatchObject({ queue, delayed: 1, leased: 0 });
    // What the backlog costs the scheduler's storage, for the backlog benchmark and operators.
    expect(res.body.scheduler.storageBytes).toBeGreaterThan(0);
    const all = await api("GET", "/api/v1/queues");
    expect(all.body.queues.find((q: { name: string }) => q.name === queue)).toMatchObject({ counts: { completed: 1 } });
  });

  it("applies settings: defaults for new jobs and concurrency in the scheduler", async () => {
    const queue = uniqueQueue();
    const put = await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 2, maxAttempts: 9, timeoutMs: 5000, backoff: { type: "fixed", delayMs: 10 } });
    expect(put.body).toMatchObject({ concurrency: 2, maxAttempts: 9, timeoutMs: 5000 });
    const job = (await api("POST", "/api/v1/jobs", { queue, type: "echo" })).body;
    expect(job).toMatchObject({ maxAttempts: 9, timeoutMs: 5000, backoff: { type: "fixed", delayMs: 10 } });
    await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }, { type: "echo" }] });
    expect((await scheduler(queue).stats()).leased).toBe(2);
  });

  it("leases nothing while paused and resumes where it left off", async () => {
    const queue = uniqueQueue();
    expect((await api("POST", `/api/v1/queues/${queue}/pause`)).body.paused).toBe(true);
    await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }] });
    expect(await deliver(queue)).toHaveLength(0);
    expect((await scheduler(queue).stats()).ready).toBe(2);
    expect((await api("POST", `/api/v1/queues/${queue}/resume`)).body.paused).toBe(false);
    expect(await deliver(queue)).toHaveLength(2);
  });
});

describe("listing jobs", () => {
  it("filters by queue, state and type, newest first, with cursor pages", async () => {
    const queue = uniqueQueue();
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api("POST", "/api/v1/jobs", { queue, type: i % 2 ? "sleep" : "echo", payload: { ms: 1 }, tags: [`n${i}`] })).body.id);

    const first = await api("GET", `/api/v1/jobs?queue=${queue}&limit=2`);
    expect(first.body.jobs.map((j: { id: string }) => j.id)).toEqual([ids[4], ids[3]]);
    const second = await api("GET", `/api/v1/jobs?queue=${queue}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.jobs.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    const third = await api("GET", `/api/v1/jobs?queue=${queue}&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body).toMatchObject({ jobs: [{ id: ids[0] }], nextCursor: null });

    const sleeps = await api("GET", `/api/v1/jobs?queue=${queue}&type=sleep`);
    expect(sleeps.body.jobs.map((j: { id: string }) => j.id)).toEqual([ids[3], ids[1]]);
    expect((await api("GET", `/api/v1/jobs?queue=${queue}&tag=n2`)).body.jobs).toHaveLength(1);
    expect((await api("GET", `/api/v1/jobs?queue=${queue}&state=queued,running`)).body.jobs).toHaveLength(5);
    expect((await api("GET", `/api/v1/jobs?queue=${queue}&state=completed`)).body.jobs).toHaveLength(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api("GET", `/api/v1/jobs?queue=${queue}&since=${encodeURIComponent(future)}`)).body.jobs).toHaveLength(0);
  });
});

describe("health and the short forms", () => {
  it("reports Postgres and the scheduler reachable", async () => {
    for (const path of ["/health", "/healthz"]) {
      const res = await api("GET", path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: "ok", postgres: { ok: true }, scheduler: { ok: true } });
    }
  });

  it("accepts POST /submit-job and answers GET /job-status/:id", async () => {
    const submitted = await api("POST", "/submit-job", { type: "echo", payload: { n: 1 }, priority: "high", delay: 30 });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: "scheduled", queue: "default" });
    const status = await api("GET", `/job-status/${submitted.body.jobId}`);
    expect(status.body).toMatchObject({ jobId: submitted.body.jobId, status: "scheduled", priority: 8, payload: { n: 1 } });
  });
});

describe("health when Postgres is unreachable", () => {
  it("answers 503 and says which part failed", async () => {
    const ctx = createExecutionContext();
    const broken = { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/nothing" };
    const response = await worker.fetch(new Request("http://edgeq.test/healthz"), broken, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable", postgres: { ok: false, error: expect.any(String) }, scheduler: { ok: true } });
  });
});
