import { createExecutionContext, createScheduledController, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import * as schedules from "../../src/schedules/run-once";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, scheduler } from "../helpers/deliver";
import { createSchedule, deleteSchedules, fireOf, jobsOf } from "../helpers/schedules";

/**
 * Ticks here pass their own `now`, mostly in 2030, so the real Cron Trigger of another test never
 * claims these schedules; each test deletes its schedules so a later tick here does not either.
 */
const S = Date.parse("2030-01-01T00:00:00Z");
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const tick = (now: number) => schedules.runOnce(env, now);
/** What a tick did with the named schedule (other schedules may be due in the same tick). */
const firedOf = (report: schedules.SchedulesReport, name: string) =>
  report.fired.find((f) => f.schedule === name) ?? { schedule: name, jobs: 0, created: 0, misfired: false, overlapSkipped: 0 };
const echo = (queue: string) => ({ queue, type: "echo", payload: { from: "schedule" } });
const alarmOf = (queue: string) => runInDurableObject(scheduler(queue), (_instance, state) => state.storage.getAlarm());

afterEach(deleteSchedules);

describe("a tick enqueues each fire of the coming minute as a job at its fire time", () => {
  it("minute schedule: one job at the fire time, keyed by it; the schedule moves to the next minute", async () => {
    const queue = uniqueQueue("cron");
    const s = await createSchedule({ name: `m-${queue}`, cron: "* * * * *", job: echo(queue), startAt: iso(S) });
    expect(s).toMatchObject({ nextRunAt: iso(S), lastRunAt: null, lastJob: null });

    expect(await jobsOf(queue)).toHaveLength(0);
    await tick(S - MIN);
    expect(await jobsOf(queue)).toHaveLength(0);

    await tick(S);
    const jobs = await jobsOf(queue);
    expect(jobs).toEqual([expect.objectContaining({ runAt: iso(S), key: `schedule:${s.id}:${iso(S)}` })]);
    const after = (await api("GET", `/api/v1/schedules/${s.id}`)).body;
    expect(after).toMatchObject({ nextRunAt: iso(S + MIN), lastRunAt: iso(S), lastJob: { id: jobs[0]!.id, state: "queued" } });

    await tick(S + MIN);
    expect((await jobsOf(queue)).map((j) => j.runAt)).toEqual([iso(S), iso(S + MIN)]);
  });

  it("every ten seconds: six jobs a tick, each released by the scheduler's alarm at its second", async () => {
    const queue = uniqueQueue("secs");
    // Two minutes ahead of the real clock: the scheduler holds these jobs until their real time.
    const start = Math.ceil(Date.now() / MIN) * MIN + 2 * MIN;
    const s = await createSchedule({ name: `s-${queue}`, cron: "*/10 * * * * *", job: echo(queue), startAt: iso(start) });
    await tick(start);
    const jobs = await jobsOf(queue);
    expect(jobs.map((j) => j.runAt)).toEqual([0, 10, 20, 30, 40, 50].map((sec) => iso(start + sec * 1000)));
    expect(jobs.map((j) => fireOf(j.key))).toEqual(jobs.map((j) => j.runAt));
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body.nextRunAt).toBe(iso(start + MIN));

    const stub = scheduler(queue);
    expect(await alarmOf(queue)).toBe(start);
    expect(await stub.tick(start - 1000)).toMatchObject({ promoted: 0 });
    expect(await stub.tick(start)).toMatchObject({ promoted: 1, dispatched: 1 });
    expect(await deliver(queue)).toHaveLength(1);
    expect(await alarmOf(queue)).toBe(start + 10_000);
    expect(await stub.tick(start + 10_000)).toMatchObject({ promoted: 1 });
    expect(await deliver(queue)).toHaveLength(1);
    expect((await jobsOf(queue)).map((j) => j.state)).toEqual(["completed", "completed", "scheduled", "scheduled", "scheduled", "scheduled"]);
  });

  it("through the Worker's scheduled handler, and the job runs through the queue handler", async () => {
    const queue = uniqueQueue("handler");
    const nextMinute = Math.floor(Date.now() / MIN) * MIN + MIN;
    const s = await createSchedule({ name: `h-${queue}`, cron: "* * * * *", job: echo(queue), startAt: iso(nextMinute) });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    const [job] = await jobsOf(queue);
    expect(job).toMatchObject({ runAt: iso(nextMinute), state: "scheduled" });
    expect(await alarmOf(queue)).toBe(nextMinute);
    await scheduler(queue).tick(nextMinute);
    expect(await deliver(queue)).toHaveLength(1);
    expect((await api("GET", `/api/v1/jobs/${job!.id}`)).body).toMatchObject({ state: "completed", result: { from: "schedule" } });
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body).toMatchObject({
      lastRunAt: iso(nextMinute),
      nextRunAt: iso(nextMinute + MIN),
      lastJob: { id: job!.id, state: "completed" },
    });
  });
});

describe("a doubled or retried tick never makes a second job", () => {
  it("two ticks at once claim the schedule once; the same tick again finds nothing due", async () => {
    const queue = uniqueQueue("double");
    const s = await createSchedule({ name: `d-${queue}`, cron: "*/10 * * * * *", job: echo(queue), startAt: iso(S) });
    const reports = await Promise.all([tick(S), tick(S)]);
    expect(reports.map((r) => firedOf(r, s.name).created).sort()).toEqual([0, 6]);
    expect(firedOf(await tick(S), s.name).jobs).toBe(0);
    expect(await jobsOf(queue)).toHaveLength(6);
  });

  it("a tick that died after enqueueing (schedule not advanced) is redone by keys: no new job", async () => {
    const queue = uniqueQueue("retried");
    const s = await createSchedule({ name: `r-${queue}`, cron: "*/10 * * * * *", job: echo(queue), startAt: iso(S) });
    await tick(S);
    const before = await jobsOf(queue);
    // As if the advance never committed and the claim expired.
    await db((d) => d.execute(sql`update schedules set next_run_at = ${iso(S)}::timestamptz, claim_token = null, claimed_until = null where id = ${s.id}`));
    expect(firedOf(await tick(S), s.name)).toMatchObject({ jobs: 6, created: 0 });
    expect(await jobsOf(queue)).toEqual(before);
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body.lastJob.id).toBe(before.at(-1)!.id);
  });
});

describe("misfires after an hour of downtime", () => {
  it("skip drops them, run_once runs the latest once, run_all runs them up to its limit", async () => {
    const q = { skip: uniqueQueue("skip"), once: uniqueQueue("once"), all5: uniqueQueue("all"), all: uniqueQueue("all") };
    const make = (queue: string, misfirePolicy: string, misfireLimit?: number) =>
      createSchedule({ name: `mis-${queue}`, cron: "* * * * *", job: echo(queue), startAt: iso(S), misfirePolicy, misfireLimit });
    const made = [await make(q.skip, "skip"), await make(q.once, "run_once"), await make(q.all5, "run_all", 5), await make(q.all, "run_all", 100)];

    const now = S + 60 * MIN;
    const report = await tick(now);
    expect(made.map((s) => firedOf(report, s.name))).toMatchObject([
      { misfired: true, jobs: 1 },
      { misfired: true, jobs: 2 },
      { misfired: true, jobs: 6 },
      { misfired: true, jobs: 61 },
    ]);
    const fires = async (queue: string) => (await jobsOf(queue)).map((j) => fireOf(j.key)).sort();
    expect(await fires(q.skip)).toEqual([iso(now)]);
    expect(await fires(q.once)).toEqual([iso(now - MIN), iso(now)]);
    expect(await fires(q.all5)).toEqual([5, 4, 3, 2, 1, 0].map((m) => iso(now - m * MIN)));
    expect(await fires(q.all)).toHaveLength(61);
    // A missed fire runs now: its job cannot be due in the past.
    expect((await jobsOf(q.once)).map((j) => j.runAt)).toEqual([iso(now), iso(now)]);
  });
});

describe("overlap", () => {
  it("skip: nothing while the last job is queued, then fires again once it has run", async () => {
    const queue = uniqueQueue("overlap");
    const s = await createSchedule({ name: `o-${queue}`, cron: "*/10 * * * * *", job: echo(queue), startAt: iso(S), overlapPolicy: "skip" });
    expect(firedOf(await tick(S), s.name)).toMatchObject({ created: 1, overlapSkipped: 5 });
    expect(firedOf(await tick(S + MIN), s.name)).toMatchObject({ jobs: 0, overlapSkipped: 6 });
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body.lastJob).toMatchObject({ state: "queued" });

    await scheduler(queue).tick(S);
    expect(await deliver(queue)).toHaveLength(1);
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body.lastJob).toMatchObject({ state: "completed" });
    expect(firedOf(await tick(S + 2 * MIN), s.name)).toMatchObject({ created: 1 });
    expect((await jobsOf(queue)).map((j) => fireOf(j.key))).toEqual([iso(S), iso(S + 2 * MIN)]);
  });

  it("allow: fires even while earlier jobs wait", async () => {
    const queue = uniqueQueue("allow");
    await createSchedule({ name: `a-${queue}`, cron: "*/30 * * * * *", job: echo(queue), startAt: iso(S) });
    await tick(S);
    await tick(S + MIN);
    expect(await jobsOf(queue)).toHaveLength(4);
  });
});

describe("pause and resume", () => {
  it("a paused schedule is not claimed; resumed, it fires again", async () => {
    const queue = uniqueQueue("pause");
    const s = await createSchedule({ name: `p-${queue}`, cron: "* * * * *", job: echo(queue), startAt: iso(S) });
    expect((await api("POST", `/api/v1/schedules/${s.id}/pause`)).body).toMatchObject({ enabled: false, nextRunAt: null });
    await tick(S);
    expect(await jobsOf(queue)).toHaveLength(0);
    expect((await api("POST", `/api/v1/schedules/${s.id}/resume`)).body).toMatchObject({ enabled: true, nextRunAt: iso(S) });
    await tick(S);
    expect(await jobsOf(queue)).toHaveLength(1);
  });
});

describe("daylight saving through ticks", () => {
  it("America/New_York fall-back: 01:30 fires at 01:30 EDT and not again at 01:30 EST", async () => {
    const queue = uniqueQueue("ny");
    const s = await createSchedule({ name: `ny-${queue}`, cron: "30 1 * * *", timezone: "America/New_York", job: echo(queue), startAt: "2027-11-07T00:00:00-04:00" });
    expect(s.nextRunAt).toBe("2027-11-07T05:30:00.000Z");
    await tick(Date.parse("2027-11-07T05:30:00Z"));
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body.nextRunAt).toBe("2027-11-08T06:30:00.000Z");
    await tick(Date.parse("2027-11-07T06:30:00Z"));
    expect((await jobsOf(queue)).map((j) => j.runAt)).toEqual(["2027-11-07T05:30:00.000Z"]);
  });

  it("Europe/Berlin spring-forward: 02:30 is skipped on the day it does not exist", async () => {
    const queue = uniqueQueue("berlin");
    const s = await createSchedule({ name: `be-${queue}`, cron: "30 2 * * *", timezone: "Europe/Berlin", job: echo(queue), startAt: "2027-03-28T00:00:00+01:00" });
    expect(s.nextRunAt).toBe("2027-03-29T00:30:00.000Z");
    await tick(Date.parse("2027-03-28T01:30:00Z"));
    expect(await jobsOf(queue)).toHaveLength(0);
    await tick(Date.parse("2027-03-29T00:30:00Z"));
    expect((await jobsOf(queue)).map((j) => j.runAt)).toEqual(["2027-03-29T00:30:00.000Z"]);
  });
});
