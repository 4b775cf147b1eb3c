import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as forgetWorkers from "../../src/cron/forget-workers";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { pendingMessages, scheduler } from "../helpers/deliver";

async function pullQueue(settings: Record<string, unknown> = {}) {
  const queue = uniqueQueue("pull");
  expect((await api("PUT", `/api/v1/queues/${queue}`, { mode: "pull", ...settings })).body).toMatchObject({ mode: "pull" });
  return queue;
}

const lease = (queue: string, body: Record<string, unknown>) => api("POST", `/api/v1/queues/${queue}/lease`, { workerId: "w-1", ...body });
const submit = async (queue: string, job: Record<string, unknown> = {}) => (await api("POST", "/api/v1/jobs", { queue, type: "render", payload: { n: 1 }, ...job })).body;

async function completedAttempts(jobId: string): Promise<number> {
  return db(async (d) => ((await d.execute(sql`select count(*)::int as n from job_attempts where job_id = ${jobId} and outcome = 'completed'`)).rows[0] as { n: number }).n);
}

describe("pull workers", () => {
  it("lease from the queue's scheduler: highest priority first, never sent to the Worker's consumer", async () => {
    const queue = await pullQueue();
    const low = await submit(queue, { priority: "low" });
    const high = await submit(queue, { priority: "high" });
    const mid = await submit(queue);
    expect(await pendingMessages(queue)).toEqual([]);
    const { status, body } = await lease(queue, { count: 2, visibilityMs: 60_000 });
    expect(status).toBe(200);
    expect(body.jobs.map((j: { id: string }) => j.id)).toEqual([high.id, mid.id]);
    expect(body.jobs[0]).toMatchObject({ type: "render", payload: { n: 1 }, attempt: 1, leaseId: expect.stringMatching(/^\d+$/) });
    expect((await api("GET", `/api/v1/jobs/${high.id}`)).body).toMatchObject({ state: "running" });
    expect((await lease(queue, { count: 5 })).body.jobs.map((j: { id: string }) => j.id)).toEqual([low.id]);
    expect((await lease(queue, { count: 5 })).body.jobs).toEqual([]);
  });

  it("hold the queue's concurrency, rate limit and pause", async () => {
    const queue = await pullQueue({ concurrency: 1 });
    await submit(queue);
    await submit(queue);
    expect((await lease(queue, { count: 5 })).body.jobs).toHaveLength(1);
    expect((await lease(queue, { count: 5 })).body.jobs).toHaveLength(0);
    const limited = await pullQueue({ rateLimit: { limit: 2, periodMs: 60_000 } });
    for (let i = 0; i < 3; i++) await submit(limited);
    expect((await lease(limited, { count: 5 })).body.jobs).toHaveLength(2);
    expect((await lease(limited, { count: 5 })).body.jobs).toHaveLength(0);
    const paused = await pullQueue({ paused: true });
    await submit(paused);
    expect((await lease(paused, { count: 5 })).body.jobs).toHaveLength(0);
  });

  it("complete through the consumer's outcome path: result, attempt by the worker, rollups; a second report is a stale 409", async () => {
    const queue = await pullQueue();
    const job = await submit(queue);
    const [leased] = (await lease(queue, { workerId: "render-box-1" })).body.jobs;
    const hb = await api("POST", `/api/v1/jobs/${job.id}/heartbeat`, { leaseId: leased.leaseId, visibilityMs: 120_000, progress: { percent: 40 } });
    expect(hb).toMatchObject({ status: 200, body: { leaseId: leased.leaseId } });
    expect(Date.parse(hb.body.leaseExpiresAt)).toBeGreaterThan(Date.parse(leased.leaseExpiresAt));
    expect((await api("GET", `/api/v1/jobs/${job.id}`)).body.progress).toEqual({ percent: 40 });

    const done = await api("POST", `/api/v1/jobs/${job.id}/complete`, { leaseId: leased.leaseId, result: { frames: 24 } });
    expect(done).toMatchObject({ status: 200, body: { state: "completed", result: { frames: 24 } } });
    const again = await api("POST", `/api/v1/jobs/${job.id}/complete`, { leaseId: leased.leaseId, result: {} });
    expect(again).toMatchObject({ status: 409, body: { error: { code: "lease_stale" } } });
    expect((await api("POST", `/api/v1/jobs/${job.id}/heartbeat`, { leaseId: leased.leaseId })).status).toBe(409);
    const full = (await api("GET", `/api/v1/jobs/${job.id}`)).body;
    expect(full.attempts).toEqual([expect.objectContaining({ outcome: "completed", runner: "render-box-1" })]);
    expect((await scheduler(queue).stats()).leased).toBe(0);
    const overview = (await api("GET", `/api/v1/analytics/overview?queue=${queue}`)).body;
    expect(JSON.stringify(overview)).toContain(queue);
  });

  it("fail: retried at the backoff, then dead-lettered when not retryable", async () => {
    const queue = await pullQueue();
    const job = await submit(queue, { maxAttempts: 3, backoff: { type: "fixed", delayMs: 5000 } });
    const [first] = (await lease(queue, {})).body.jobs;
    const failed = await api("POST", `/api/v1/jobs/${job.id}/fail`, { leaseId: first.leaseId, error: { message: "GPU out of memory" } });
    expect(failed.body).toMatchObject({ state: "scheduled", error: { message: "GPU out of memory", retryable: true } });
    expect((await lease(queue, {})).body.jobs).toEqual([]);
    await scheduler(queue).tick(Date.now() + 6000);
    const [second] = (await lease(queue, {})).body.jobs;
    expect(second).toMatchObject({ id: job.id, attempt: 2 });
    const dead = await api("POST", `/api/v1/jobs/${job.id}/fail`, { leaseId: second.leaseId, error: { message: "bad input", code: "bad_input" }, retryable: false });
    expect(dead.body).toMatchObject({ state: "dead", error: { code: "bad_input", retryable: false } });
    expect((await api("GET", `/api/v1/dlq?queue=${queue}`)).body.jobs.map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it("a lease that expires goes to the next worker; the first worker's late outcome is refused; one completed outcome", async () => {
    const queue = await pullQueue();
    const job = await submit(queue);
    const [a] = (await lease(queue, { workerId: "w-a", visibilityMs: 5000 })).body.jobs;
    expect(await scheduler(queue).tick(Date.now() + 6000)).toMatchObject({ expired: 1 });
    const [b] = (await lease(queue, { workerId: "w-b", visibilityMs: 5000 })).body.jobs;
    expect(b).toMatchObject({ id: job.id, attempt: 2 });
    expect(Number(b.leaseId)).toBeGreaterThan(Number(a.leaseId));
    expect((await api("POST", `/api/v1/jobs/${job.id}/complete`, { leaseId: a.leaseId })).status).toBe(409);
    expect((await api("POST", `/api/v1/jobs/${job.id}/complete`, { leaseId: b.leaseId, result: "b" })).body).toMatchObject({ state: "completed", result: "b" });
    expect(await completedAttempts(job.id)).toBe(1);
    const attempts = (await api("GET", `/api/v1/jobs/${job.id}`)).body.attempts;
    expect(attempts.map((x: { outcome: string; runner: string }) => [x.outcome, x.runner])).toEqual([
      ["lost", "w-a"],
      ["completed", "w-b"],
    ]);
  });

  it("release gives a job back unrun, without spending an attempt", async () => {
    const queue = await pullQueue();
    const job = await submit(queue, { maxAttempts: 1 });
    const [held] = (await lease(queue, {})).body.jobs;
    const released = await api("POST", `/api/v1/jobs/${job.id}/release`, { leaseId: held.leaseId });
    expect(released.body).toMatchObject({ state: "queued", attemptsLeft: 1 });
    const [again] = (await lease(queue, {})).body.jobs;
    expect(again).toMatchObject({ id: job.id, attempt: 1 });
    expect((await api("POST", `/api/v1/jobs/${job.id}/complete`, { leaseId: again.leaseId })).body.state).toBe("completed");
  });

  it("refuse bad input and push queues with 4xx JSON errors", async () => {
    const push = uniqueQueue();
    await api("PUT", `/api/v1/queues/${push}`, { concurrency: 5 });
    expect((await lease(push, {})).body.error.code).toBe("queue_not_pull");
    expect((await lease(uniqueQueue(), {})).status).toBe(404);
    const queue = await pullQueue();
    for (const body of [{ count: 0 }, { count: 1000 }, { visibilityMs: 10 }, { workerId: "" }, { workerId: "a b" }]) {
      expect((await lease(queue, body)).body.error.code).toBe("validation_failed");
    }
    const id = crypto.randomUUID();
    expect((await api("POST", `/api/v1/jobs/${id}/complete`, { leaseId: "1" })).status).toBe(404);
    expect((await api("POST", `/api/v1/jobs/${id}/fail`, { leaseId: "x", error: { message: "m" } })).status).toBe(400);
    expect((await api("POST", `/api/v1/jobs/${id}/fail`, { leaseId: "1" })).status).toBe(400);
    expect((await api("PUT", `/api/v1/queues/${queue}`, { mode: "sideways" })).status).toBe(400);
  });
});

describe("the worker registry", () => {
  it("lists workers that heart-beat, forgets one that stops or leaves", async () => {
    const id = `w-${crypto.randomUUID().slice(0, 8)}`;
    const put = await api("PUT", `/api/v1/workers/${id}`, { name: "render box", queues: ["renders"], host: "box-1", currentJobs: [] });
    expect(put.body).toMatchObject({ id, name: "render box", queues: ["renders"], host: "box-1", processed: 0, failed: 0 });
    expect((await api("GET", "/api/v1/workers")).body.workers.map((w: { id: string }) => w.id)).toContain(id);
    expect((await forgetWorkers.runOnce(env, Date.now() + forgetWorkers.WORKER_TTL_MS + 1000)).forgotten).toBeGreaterThanOrEqual(1);
    expect((await api("GET", "/api/v1/workers")).body.workers.map((w: { id: string }) => w.id)).not.toContain(id);

    await api("PUT", `/api/v1/workers/${id}`, { name: "render box" });
    expect((await api("DELETE", `/api/v1/workers/${id}`)).status).toBe(200);
    expect((await api("DELETE", `/api/v1/workers/${id}`)).status).toBe(404);
  });

  it("counts what each worker processed and failed", async () => {
    const queue = await pullQueue();
    const id = `w-${crypto.randomUUID().slice(0, 8)}`;
    const ok = await submit(queue);
    const bad = await submit(queue, { maxAttempts: 1 });
    const leased = (await lease(queue, { workerId: id, count: 2 })).body.jobs as { id: string; leaseId: string }[];
    const leaseOf = (jobId: string) => leased.find((j) => j.id === jobId)!.leaseId;
    await api("POST", `/api/v1/jobs/${ok.id}/complete`, { leaseId: leaseOf(ok.id) });
    await api("POST", `/api/v1/jobs/${bad.id}/fail`, { leaseId: leaseOf(bad.id), error: { message: "no" } });
    const me = (await api("GET", "/api/v1/workers")).body.workers.find((w: { id: string }) => w.id === id);
    expect(me).toMatchObject({ queues: [queue], processed: 1, failed: 1 });
  });
});
