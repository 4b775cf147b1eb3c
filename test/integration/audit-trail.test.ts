import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { submitJobs } from "../../src/jobs/submit";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, runBatch, scheduler } from "../helpers/deliver";

type Event = { kind: string; attempt: number; actor: string; at: string; data: Record<string, unknown> | null; jobId: string; id: string };

const trail = async (id: string): Promise<Event[]> => {
  const res = await api("GET", `/api/v1/jobs/${id}/events`);
  expect(res.status).toBe(200);
  return res.body.events;
};
const kinds = (events: Event[]) => events.map((e) => `${e.kind}@${e.attempt}`);

describe("the audit trail", () => {
  it("records a job's whole life, each step by who took it, in order", async () => {
    const queue = uniqueQueue("audit");
    const { body: job } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { times: 1 }, delay: "1m", backoff: { type: "fixed", delayMs: 1000 } });
    await scheduler(queue).tick(Date.parse(job.runAt));
    await deliver(queue);
    const retry = (await api("GET", `/api/v1/jobs/${job.id}`)).body;
    await scheduler(queue).tick(Date.parse(retry.runAt));
    await deliver(queue);

    const events = await trail(job.id);
    expect(kinds(events)).toEqual(["submitted@0", "scheduled@0", "started@1", "failed@1", "retried@1", "started@2", "completed@2"]);
    expect(events[0]).toMatchObject({ actor: "key:bootstrap", data: { state: "scheduled", priority: 5, replacedPending: false } });
    const runners = new Set(events.slice(2).map((e) => e.actor));
    expect(runners.size).toBe(1);
    expect([...runners][0]).toMatch(/^worker:/);
    expect(events[3]!.data).toMatchObject({ outcome: "failed", error: "fail handler failed as asked" });
    expect(Date.parse(events[4]!.data!.runAt as string)).toBe(Date.parse(retry.runAt));
    // Times never go backwards along the trail.
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("records cancels and redrives by the key that asked, dead-lettering by the runner", async () => {
    const queue = uniqueQueue("audit");
    const { body: dead } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { retryable: false } });
    await deliver(queue);
    expect((await api("POST", `/api/v1/jobs/${dead.id}/retry`)).status).toBe(200);
    const { body: held } = await api("POST", "/api/v1/jobs", { queue, type: "echo", delay: "1h" });
    expect((await api("DELETE", `/api/v1/jobs/${held.id}`)).status).toBe(200);

    const deadTrail = await trail(dead.id);
    expect(kinds(deadTrail)).toEqual(["submitted@0", "started@1", "failed@1", "dead_lettered@1", "redriven@1"]);
    expect(deadTrail.at(-1)).toMatchObject({ actor: "key:bootstrap", data: { from: "dead" } });
    expect(kinds(await trail(held.id))).toEqual(["submitted@0", "scheduled@0", "cancelled@0"]);
  });

  it("writes nothing for a transition that did not happen: a stale delivery, a refused cancel", async () => {
    const queue = uniqueQueue("audit");
    const { body: job } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await deliver(queue);
    const before = (await trail(job.id)).length;
    // The same delivery again: refused by the claim, so no second start.
    await runBatch([message!]);
    expect((await api("DELETE", `/api/v1/jobs/${job.id}`)).status).toBe(409);
    expect(await trail(job.id)).toHaveLength(before);
  });

  it("records dependencies: waiting, then released or cancelled by edgeq with the reason", async () => {
    const queue = uniqueQueue("audit");
    const first = crypto.randomUUID();
    const doomed = crypto.randomUUID();
    const { body } = await api("POST", "/api/v1/jobs/batch", {
      queue,
      jobs: [
        { id: first, type: "echo" },
        { type: "echo", dependsOn: [first] },
        { id: doomed, type: "fail", payload: { retryable: false } },
        { type: "echo", dependsOn: [doomed] },
      ],
    });
    await deliver(queue);
    await deliver(queue);
    const [, released, , cancelled] = body.jobs.map((j: { id: string }) => j.id);
    expect(kinds(await trail(released))).toEqual(["submitted@0", "waiting@0", "released@0", "started@1", "completed@1"]);
    const cancelledTrail = await trail(cancelled);
    expect(kinds(cancelledTrail)).toEqual(["submitted@0", "waiting@0", "cancelled@0"]);
    expect(cancelledTrail.at(-1)).toMatchObject({ actor: "edgeq", data: { reason: `dependency ${doomed} is dead` } });
  });

  it("records a pull worker's lease, progress and giving the job back", async () => {
    const queue = uniqueQueue("audit");
    await api("PUT", `/api/v1/queues/${queue}`, { mode: "pull" });
    const { body: job } = await api("POST", "/api/v1/jobs", { queue, type: "render" });
    const [leased] = (await api("POST", `/api/v1/queues/${queue}/lease`, { workerId: "w-audit", count: 1, visibilityMs: 60_000 })).body.jobs;
    await api("POST", `/api/v1/jobs/${job.id}/heartbeat`, { leaseId: leased.leaseId, visibilityMs: 60_000, progress: { percent: 40 } });
    await api("POST", `/api/v1/jobs/${job.id}/heartbeat`, { leaseId: leased.leaseId, visibilityMs: 60_000 });
    expect((await api("POST", `/api/v1/jobs/${job.id}/release`, { leaseId: leased.leaseId })).status).toBe(200);
    const events = await trail(job.id);
    expect(kinds(events)).toEqual(["submitted@0", "leased@1", "progress@1", "returned@1"]);
    expect(events.slice(1).map((e) => e.actor)).toEqual(["w-audit", "w-audit", "w-audit"]);
    expect(events[2]!.data).toEqual({ progress: { percent: 40 } });
  });

  it("writes no event when the submission fails midway: the jobs and their trail go together", async () => {
    const queue = uniqueQueue("audit");
    // 1,500 jobs are two insert statements; a priority of 99 passes no API validation and fails the second.
    const jobs = Array.from({ length: 1500 }, (_, i) => ({ queue, tenant: null, job: { type: "echo", payload: i, priority: i === 1499 ? 99 : 5, runAt: null } }));
    await expect(db((d) => submitJobs(env, d, jobs, new Date(), "key:test"))).rejects.toThrow();
    const n = await db(async (d) => ((await d.execute(sql`select count(*)::int as n from job_events where queue = ${queue}`)).rows[0] as { n: number }).n);
    expect(n).toBe(0);
  });

  it("lists the log across jobs with filters, pages and an NDJSON export, and refuses bad filters", async () => {
    const queue = uniqueQueue("audit");
    const since = new Date(Date.now() - 1000).toISOString();
    await api("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: 5 }, (_, i) => ({ type: "echo", payload: i })) });
    await deliver(queue);

    const page1 = await api("GET", `/api/v1/events/log?queue=${queue}&kind=submitted,completed&limit=6&since=${since}`);
    expect(page1.status).toBe(200);
    expect(page1.body.events).toHaveLength(6);
    expect(page1.body.events.every((e: Event) => ["submitted", "completed"].includes(e.kind))).toBe(true);
    const page2 = await api("GET", `/api/v1/events/log?queue=${queue}&kind=submitted,completed&limit=6&cursor=${page1.body.nextCursor}`);
    expect(page2.body.events).toHaveLength(4);
    expect(page2.body.nextCursor).toBeNull();
    const ids = [...page1.body.events, ...page2.body.events].map((e: Event) => e.id);
    expect(new Set(ids).size).toBe(10);
    // Newest first.
    const times = [...page1.body.events, ...page2.body.events].map((e: Event) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const byKey = await api("GET", `/api/v1/events/log?queue=${queue}&actor=key:bootstrap`);
    expect(byKey.body.events.map((e: Event) => e.kind)).toEqual(Array(5).fill("submitted"));

    const exported = await api("GET", `/api/v1/events/log?queue=${queue}&format=ndjson&limit=1000`);
    expect(exported.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = (exported.body as string).trimEnd().split("\n");
    expect(lines).toHaveLength(15);
    expect(lines.every((l) => JSON.parse(l).queue === queue)).toBe(true);

    for (const bad of ["kind=exploded", "cursor=nonsense", "since=yesterday", "limit=0", "colour=red"]) {
      const r = await api("GET", `/api/v1/events/log?${bad}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("validation_failed");
    }
    expect((await api("GET", `/api/v1/jobs/${crypto.randomUUID()}/events`)).status).toBe(404);
  });
});
