import { afterAll, describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver } from "../helpers/deliver";
import { createSchedule, deleteSchedules, track } from "../helpers/schedules";

/** Far ahead, so no tick of another test file claims these schedules. */
const FAR = "2099-01-01T00:00:00Z";
const echo = (queue: string) => ({ queue, type: "echo", payload: { n: 1 } });

afterAll(deleteSchedules);

describe("schedules API", () => {
  it("creates with defaults, reads, lists, changes and deletes a schedule", async () => {
    const queue = uniqueQueue("crud");
    const name = `crud-${queue}`;
    const s = await createSchedule({ name, cron: "0 3 * * *", job: { ...echo(queue), priority: "high", maxAttempts: 5, tags: ["nightly"] }, startAt: FAR });
    expect(s).toMatchObject({
      name,
      cron: "0 3 * * *",
      timezone: "UTC",
      enabled: true,
      misfirePolicy: "run_once",
      misfireLimit: 10,
      overlapPolicy: "allow",
      job: { queue, type: "echo", payload: { n: 1 }, priority: 8, maxAttempts: 5, tags: ["nightly"] },
      nextRunAt: "2099-01-01T03:00:00.000Z",
      lastRunAt: null,
      lastJob: null,
    });
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body).toEqual(s);
    expect((await api("GET", "/api/v1/schedules")).body.schedules).toContainEqual(s);

    const changed = await api("PUT", `/api/v1/schedules/${s.id}`, { cron: "0 9 * * *", timezone: "Asia/Tokyo", overlapPolicy: "skip" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ cron: "0 9 * * *", timezone: "Asia/Tokyo", overlapPolicy: "skip", job: { priority: 8 }, nextRunAt: "2099-01-01T00:00:00.000Z" });

    expect((await api("DELETE", `/api/v1/schedules/${s.id}`)).body).toEqual({ deleted: true, id: s.id });
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).status).toBe(404);
  });

  it("previews fire times in the schedule's zone, across daylight saving", async () => {
    const ny = await createSchedule({ name: `ny-${uniqueQueue()}`, cron: "30 2 * * *", timezone: "America/New_York", job: echo("q"), startAt: "2099-03-07T00:00:00-05:00" });
    // 2099-03-08 is the second Sunday of March: 02:30 does not exist in New York that day.
    const preview = await api("GET", `/api/v1/schedules/${ny.id}/next?count=3`);
    expect(preview.body).toEqual({
      id: ny.id,
      timezone: "America/New_York",
      next: [
        { at: "2099-03-07T07:30:00.000Z", local: "2099-03-07T02:30:00-05:00" },
        { at: "2099-03-09T06:30:00.000Z", local: "2099-03-09T02:30:00-04:00" },
        { at: "2099-03-10T06:30:00.000Z", local: "2099-03-10T02:30:00-04:00" },
      ],
    });
    const berlin = await createSchedule({ name: `be-${uniqueQueue()}`, cron: "30 2 * * *", timezone: "Europe/Berlin", job: echo("q"), startAt: "2099-10-24T12:00:00Z" });
    // 2099-10-25 is the last Sunday of October: 02:30 happens twice in Berlin and fires once.
    expect((await api("GET", `/api/v1/schedules/${berlin.id}/next?count=3`)).body.next.map((n: { local: string }) => n.local)).toEqual([
      "2099-10-25T02:30:00+02:00",
      "2099-10-26T02:30:00+01:00",
      "2099-10-27T02:30:00+01:00",
    ]);
    expect((await api("GET", `/api/v1/schedules/${berlin.id}/next`)).body.next).toHaveLength(5);
    expect((await api("GET", `/api/v1/schedules/${berlin.id}/next?count=0`)).status).toBe(400);
  });

  it("trigger runs the schedule's job now and records it as the last", async () => {
    const queue = uniqueQueue("trigger");
    const s = await createSchedule({ name: `t-${queue}`, cron: "0 0 1 1 *", job: echo(queue), startAt: FAR });
    const res = await api("POST", `/api/v1/schedules/${s.id}/trigger`);
    expect(res.status).toBe(201);
    expect(res.body.job).toMatchObject({ queue, type: "echo", state: "queued", payload: { n: 1 }, position: 1 });
    expect(await deliver(queue)).toHaveLength(1);
    const after = (await api("GET", `/api/v1/schedules/${s.id}`)).body;
    expect(after).toMatchObject({ lastJob: { id: res.body.job.id, state: "completed" }, nextRunAt: s.nextRunAt });
    expect(Date.parse(after.lastRunAt)).toBe(Date.parse(res.body.job.createdAt));
  });

  it("accepts the short form existing clients use", async () => {
    const queue = uniqueQueue("short");
    const res = await api("POST", "/api/v1/scheduled-jobs", { name: `short-${queue}`, queue, jobType: "echo", payload: { hello: "world" }, schedule: "*/15 * * * *" });
    expect(res.status).toBe(201);
    track(res.body.id);
    expect(res.body).toMatchObject({ name: `short-${queue}`, cron: "*/15 * * * *", timezone: "UTC", enabled: true, job: { queue, type: "echo", payload: { hello: "world" } } });
    expect(Date.parse(res.body.nextRunAt) % (15 * 60_000)).toBe(0);
    expect((await api("GET", `/api/v1/schedules/${res.body.id}`)).body.name).toBe(`short-${queue}`);
  });
});

describe("API key scopes", () => {
  it("read previews, producer creates and triggers, only admin changes or deletes", async () => {
    const key = async (scope: string) => ({ authorization: `Bearer ${(await api("POST", "/api/v1/keys", { name: `schedules ${scope}`, scopes: [scope] })).body.key}` });
    const [reader, producer] = [await key("read"), await key("producer")];
    const queue = uniqueQueue("scopes");
    const body = { name: `scoped-${queue}`, cron: "0 0 * * *", job: echo(queue), startAt: FAR };

    expect((await api("POST", "/api/v1/schedules", body, reader)).status).toBe(403);
    const created = await api("POST", "/api/v1/schedules", body, producer);
    expect(created.status).toBe(201);
    track(created.body.id);
    expect((await api("GET", `/api/v1/schedules/${created.body.id}/next`, undefined, reader)).status).toBe(200);
    expect((await api("POST", `/api/v1/schedules/${created.body.id}/trigger`, undefined, reader)).status).toBe(403);
    expect((await api("POST", `/api/v1/schedules/${created.body.id}/trigger`, undefined, producer)).status).toBe(201);
    for (const [method, path] of [["PUT", ""], ["DELETE", ""], ["POST", "/pause"]] as const) {
      const res = await api(method, `/api/v1/schedules/${created.body.id}${path}`, method === "PUT" ? { cron: "0 1 * * *" } : undefined, producer);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    expect((await api("GET", `/api/v1/schedules/${created.body.id}`)).body).toMatchObject({ cron: "0 0 * * *", enabled: true });
  });
});

describe("bad schedules get a 4xx that says what is wrong, and write nothing", () => {
  const base = { name: `bad-${uniqueQueue()}`, cron: "* * * * *", job: echo("bad"), startAt: FAR };
  const cases: { name: string; body: unknown; status: number; code: string; mentions: string; path?: string }[] = [
    { name: "a minute out of range", body: { ...base, cron: "61 * * * *" }, status: 400, code: "validation_failed", mentions: 'minute field "61"' },
    { name: "an hour that is not a number", body: { ...base, cron: "0 noon * * *" }, status: 400, code: "validation_failed", mentions: "hour field" },
    { name: "a day of week out of range", body: { ...base, cron: "0 0 * * 9" }, status: 400, code: "validation_failed", mentions: "day of week field" },
    { name: "a second out of range", body: { ...base, cron: "60 * * * * *" }, status: 400, code: "validation_failed", mentions: "second field" },
    { name: "four fields", body: { ...base, cron: "* * * *" }, status: 400, code: "validation_failed", mentions: "got 4" },
    { name: "a schedule that never fires", body: { ...base, cron: "0 0 30 2 *" }, status: 400, code: "validation_failed", mentions: "never match" },
    { name: "an unknown time zone", body: { ...base, timezone: "Mars/Olympus" }, status: 400, code: "validation_failed", mentions: 'unknown time zone "Mars/Olympus"' },
    { name: "an unknown misfire policy", body: { ...base, misfirePolicy: "run_twice" }, status: 400, code: "validation_failed", mentions: "misfirePolicy" },
    { name: "a job with a delay (the schedule sets the time)", body: { ...base, job: { ...echo("bad"), delay: 5 } }, status: 400, code: "validation_failed", mentions: "delay" },
    { name: "a job of no type", body: { ...base, job: { queue: "bad" } }, status: 400, code: "validation_failed", mentions: "job.type" },
    { name: "a bad job priority", body: { ...base, job: { ...echo("bad"), priority: 11 } }, status: 400, code: "validation_failed", mentions: "job.priority" },
    { name: "no name", body: { cron: "* * * * *", job: echo("bad") }, status: 400, code: "validation_failed", mentions: "name" },
    {
      name: "the short form with a bad schedule",
      path: "/api/v1/scheduled-jobs",
      body: { name: base.name, queue: "bad", jobType: "echo", schedule: "* 24 * * *" },
      status: 400,
      code: "validation_failed",
      mentions: "schedule: hour field",
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const res = await api("POST", c.path ?? "/api/v1/schedules", c.body);
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
      expect(res.body.error.message).toContain(c.mentions);
      const names = (await api("GET", "/api/v1/schedules")).body.schedules.map((s: { name: string }) => s.name);
      expect(names).not.toContain(base.name);
    });
  }

  it("a duplicate name gets 409, by either form, and a rename onto a taken name too", async () => {
    const first = await createSchedule({ ...base, name: `dup-${uniqueQueue()}` });
    const again = await api("POST", "/api/v1/schedules", { ...base, name: first.name, cron: "0 * * * *" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "schedule_exists", details: { name: first.name } });
    const short = await api("POST", "/api/v1/scheduled-jobs", { name: first.name, jobType: "echo", schedule: "0 * * * *" });
    expect(short.status).toBe(409);
    const other = await createSchedule({ ...base, name: `other-${uniqueQueue()}` });
    expect((await api("PUT", `/api/v1/schedules/${other.id}`, { name: first.name })).status).toBe(409);
    expect((await api("GET", `/api/v1/schedules/${first.id}`)).body.cron).toBe("* * * * *");
  });

  it("a change to a bad expression is refused and leaves the schedule as it was", async () => {
    const s = await createSchedule({ ...base, name: `keep-${uniqueQueue()}` });
    const res = await api("PUT", `/api/v1/schedules/${s.id}`, { cron: "0 0 * 13 *" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("month field");
    expect((await api("GET", `/api/v1/schedules/${s.id}`)).body).toEqual(s);
  });

  it("unknown and malformed ids get 404 and 400", async () => {
    expect((await api("GET", "/api/v1/schedules/0198a1b2-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await api("POST", "/api/v1/schedules/nope/trigger")).status).toBe(400);
  });
});
