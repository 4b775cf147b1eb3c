import { outcomeFacts } from "../../src/core/outcome-facts";
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as reconciler from "../../src/cron/reconciler";
import { claimJobs } from "../../src/db/queries/claim-jobs";
import { insertJobs } from "../../src/db/queries/insert-jobs";
import { recordOutcomes } from "../../src/db/queries/record-outcomes";
import type { JobMessage } from "../../src/consumer/job-message";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import type { QueueScheduler } from "../../src/scheduler/queue-scheduler";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, pendingMessages, runBatch, scheduler } from "../helpers/deliver";

/** Past every lease deadline the default settings give (30 s timeout + 30 s visibility). */
const AFTER_LEASES = 61_000;

async function completedAttempts(jobId: string): Promise<number> {
  return db(async (d) => {
    const r = await d.execute(sql`select count(*)::int as n from job_attempts where job_id = ${jobId} and outcome = 'completed'`);
    return (r.rows[0] as { n: number }).n;
  });
}

describe("a crash at any point loses no job and completes none twice", () => {
  it("consumer dies after claiming: the lease expires, the job runs again, one completed outcome", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: 1 });
    const [first] = await pendingMessages(queue);
    // The dying consumer got as far as marking the job running, then vanished.
    await db((d) => claimJobs(d, [{ id: first!.id, lease: first!.l }], new Date(), "doomed"));
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body.state).toBe("running");

    // Its lease expires; the scheduler leases the job anew and the next consumer runs it.
    expect(await scheduler(queue).tick(Date.now() + AFTER_LEASES)).toMatchObject({ expired: 1, dispatched: 1 });
    expect(await deliver(queue)).toHaveLength(1);

    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "completed", result: 1, attempt: 2 });
    expect(job.attempts.map((a: { outcome: string; runner: string }) => [a.outcome, a.runner])).toEqual([
      ["lost", "doomed"],
      ["completed", expect.stringMatching(/^worker:/)],
    ]);

    // The dead consumer's message, delivered late, changes nothing.
    expect((await runBatch([first!])).ackAll).toBe(true);
    expect(await completedAttempts(body.id)).toBe(1);
  });

  it("a zombie consumer that finishes after its lease was taken over cannot write its outcome", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [old] = await pendingMessages(queue);
    const [zombie] = (await db((d) => claimJobs(d, [{ id: old!.id, lease: old!.l }], new Date(), "zombie"))).claimed;
    await scheduler(queue).tick(Date.now() + AFTER_LEASES);
    await deliver(queue);

    const { applied } = await db((d) =>
      recordOutcomes(d, [{ id: body.id, lease: old!.l, attempt: zombie!.attempt, state: "dead", outcome: "failed", durationMs: 1, facts: outcomeFacts(zombie!, 1, Date.now(), null) }], new Date()),
    );
    expect(applied.size).toBe(0);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body.state).toBe("completed");
  });

  it("a duplicate delivery, in one batch or two, runs the job once", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await pendingMessages(queue);
    expect((await runBatch([message!, message!])).ackAll).toBe(true);
    expect((await runBatch([message!])).ackAll).toBe(true);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "completed", attempt: 1 });
    expect(job.attempts).toHaveLength(1);
  });

  it("stored but never enqueued (crash between Postgres and the scheduler): the reconciler enqueues it", async () => {
    const queue = uniqueQueue();
    const longAgo = new Date(Date.now() - 5 * 60_000);
    const { jobs } = await db((d) => insertJobs(d, queue, null, [{ type: "echo", payload: "orphan", priority: 5, runAt: null }], longAgo, "key:test"));
    expect(await scheduler(queue).stats()).toMatchObject({ ready: 0, leased: 0 });

    const report = await reconciler.runOnce(env, Date.now());
    expect(report.rebuilt).toContainEqual({ queue, added: 1, removed: 0 });
    expect(await deliver(queue)).toHaveLength(1);
    expect((await api("GET", `/api/v1/jobs/${jobs[0]!.job.id}`)).body).toMatchObject({ state: "completed", result: "orphan" });
  });

  it("outcome written but the scheduler never told: the stale lease is dropped, the job stays completed once", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await pendingMessages(queue);
    const [claimed] = (await db((d) => claimJobs(d, [{ id: message!.id, lease: message!.l }], new Date(), "w"))).claimed;
    const facts = outcomeFacts(claimed!, 1, Date.now(), null);
    await db((d) => recordOutcomes(d, [{ id: body.id, lease: message!.l, attempt: claimed!.attempt, state: "completed", outcome: "completed", result: "ok", durationMs: 1, facts }], new Date()));

    // The scheduler still holds the lease; when it expires the job goes out again and is refused.
    await scheduler(queue).tick(Date.now() + AFTER_LEASES);
    expect(await deliver(queue)).toHaveLength(1);
    expect(await scheduler(queue).stats()).toMatchObject({ ready: 0, delayed: 0, leased: 0 });
    expect(await completedAttempts(body.id)).toBe(1);
  });

  it("the scheduler's storage is lost: a rebuild from Postgres restores ready, delayed and running jobs", async () => {
    const queue = uniqueQueue();
    const ready = (await api("POST", "/api/v1/jobs", { queue, type: "echo" })).body;
    const delayed = (await api("POST", "/api/v1/jobs", { queue, type: "echo", delay: 3600 })).body;
    const [message] = await pendingMessages(queue);
    await db((d) => claimJobs(d, [{ id: message!.id, lease: message!.l }], new Date(), "w"));
    await scheduler(queue).remove([ready.id, delayed.id]);

    expect(await scheduler(queue).rebuild(queue)).toEqual({ added: 2, removed: 0 });
    expect(await scheduler(queue).stats()).toMatchObject({ delayed: 1, leased: 1 });
  });

  it("a retry reported to a scheduler that lost the job is held until it is due", async () => {
    const queue = uniqueQueue();
    await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { times: 1 }, backoff: { type: "fixed", delayMs: 5000 } });
    const [message] = await pendingMessages(queue);
    await scheduler(queue).remove([message!.id]);
    expect((await runBatch([message!])).ackAll).toBe(true);
    expect(await scheduler(queue).stats()).toMatchObject({ queue, delayed: 1, leased: 0 });
  });

  it("Postgres unreachable during a batch: the queue is asked to deliver it again, and the job still runs", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await pendingMessages(queue);
    const batch = createMessageBatch<JobMessage>("edgeq-jobs", [{ id: "m1", timestamp: new Date(), attempts: 1, body: message! }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/nothing" }, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result).toMatchObject({ ackAll: false, retryBatch: { retry: true } });

    expect((await runBatch([message!])).ackAll).toBe(true);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body.state).toBe("completed");
  });

  it("the Worker's scheduled handler runs the reconciler", async () => {
    const queue = uniqueQueue();
    const { jobs } = await db((d) => insertJobs(d, queue, null, [{ type: "echo", payload: null, priority: 5, runAt: null }], new Date(Date.now() - 120_000), "key:test"));
    const controller = createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await scheduler(queue).leases()).map((l) => l.id)).toEqual([jobs[0]!.job.id]);
  });
});

describe("the jobs queue refuses a send", () => {
  it("undoes the leases, wakes again within a second, and sends them once the queue is back", async () => {
    const queue = uniqueQueue();
    const stub = scheduler(queue);
    // Make this scheduler's queue binding fail, as an outage of Cloudflare Queues would.
    await runInDurableObject(stub, (instance: QueueScheduler) => {
      const self = instance as unknown as { env: Env };
      self.env = { ...self.env, JOBS_QUEUE: { ...self.env.JOBS_QUEUE, sendBatch: () => Promise.reject(new Error("queue unavailable")) } as Queue<JobMessage> };
    });
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    expect(body.state).toBe("queued");
    expect(await stub.stats()).toMatchObject({ ready: 1, leased: 0 });
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm! - Date.now()).toBeLessThanOrEqual(1000);

    await runInDurableObject(stub, (instance: QueueScheduler) => {
      (instance as unknown as { env: Env }).env = env;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await deliver(queue)).toHaveLength(1);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body.state).toBe("completed");
  });
});
