import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { submitJobs } from "../../src/jobs/submit";
import { api, uniqueQueue } from "../helpers/api";
import { db, jobCount } from "../helpers/db";
import { deliver, drain, scheduler } from "../helpers/deliver";

describe("a job from submission to completion", () => {
  it("submits, is leased to the queue, runs its handler and stores the result", async () => {
    const queue = uniqueQueue();
    const submitted = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: { hello: "world" } });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ queue, type: "echo", state: "queued", position: 1, created: true });

    // The scheduler leased it at once and sent it to the jobs queue.
    const leases = await scheduler(queue).leases();
    expect(leases.map((l) => l.id)).toEqual([submitted.body.id]);

    expect(await deliver(queue)).toHaveLength(1);
    const job = await api("GET", `/api/v1/jobs/${submitted.body.id}`);
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ state: "completed", result: { hello: "world" }, attempt: 1 });
    expect(job.body.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: "completed", error: null })]);
    expect(job.body.finishedAt).not.toBeNull();
    // Done means forgotten by the scheduler.
    expect(await scheduler(queue).stats()).toMatchObject({ ready: 0, delayed: 0, leased: 0 });
  });

  it("dead-letters a job of an unknown type at once, saying why", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "no-such-type", maxAttempts: 5 });
    await drain(queue);
    const job = await api("GET", `/api/v1/jobs/${body.id}`);
    expect(job.body).toMatchObject({ state: "dead", attempt: 1, error: { code: "unknown_job_type", retryable: false } });
    expect(job.body.error.message).toContain('"no-such-type"');
  });

  it("runs many jobs of one batch submission, respecting the queue's concurrency", async () => {
    const queue = uniqueQueue();
    expect((await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 7 })).status).toBe(200);
    const jobs = Array.from({ length: 40 }, (_, i) => ({ type: "echo", payload: { i } }));
    const res = await api("POST", "/api/v1/jobs/batch", { queue, jobs });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(40);
    expect((await scheduler(queue).stats()).leased).toBe(7);

    expect(await drain(queue)).toBe(40);
    const list = await api("GET", `/api/v1/jobs?queue=${queue}&state=completed&limit=100`);
    expect(list.body.jobs).toHaveLength(40);
  });

  it("times a job out after its timeoutMs and retries it", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "sleep", payload: { ms: 5000 }, timeoutMs: 50, maxAttempts: 2 });
    await deliver(queue);
    const job = await api("GET", `/api/v1/jobs/${body.id}`);
    expect(job.body).toMatchObject({ state: "scheduled", error: { name: "TimeoutError" } });
    expect(job.body.attempts[0]).toMatchObject({ outcome: "timeout" });
  });
});

describe("a batch across queues", () => {
  it("commits all or nothing", async () => {
    const [first, second] = [uniqueQueue(), uniqueQueue()];
    const good = { type: "echo", payload: null, priority: 5, runAt: null };
    // Priority 99 passes no API validation; here it stands for any statement failing midway.
    await expect(
      db((d) => submitJobs(env, d, [{ queue: first, tenant: null, job: good }, { queue: second, tenant: null, job: { ...good, priority: 99 } }], new Date(), "key:test")),
    ).rejects.toThrow();
    expect(await jobCount(first)).toBe(0);
    expect(await jobCount(second)).toBe(0);

    const ok = await api("POST", "/api/v1/jobs/batch", { jobs: [{ queue: first, type: "echo" }, { queue: second, type: "echo" }] });
    expect(ok.body.jobs.map((j: { queue: string }) => j.queue)).toEqual([first, second]);
  });
});

describe("outcomes of one batch", () => {
  it("are written as jobs finish: a slow job does not hold back the fast ones", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "sleep", payload: { ms: 1000 } }, { type: "echo" }] });
    expect(await deliver(queue)).toHaveLength(2);
    const [slow, fast] = await Promise.all(body.jobs.map(async (j: { id: string }) => (await api("GET", `/api/v1/jobs/${j.id}`)).body));
    expect([slow.state, fast.state]).toEqual(["completed", "completed"]);
    // The echo's outcome was stored while the sleep was still sleeping.
    expect(Date.parse(fast.finishedAt)).toBeLessThan(Date.parse(slow.startedAt) + 1000);
  });
});
