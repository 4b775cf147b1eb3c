import { describe, expect, it } from "vitest";
import { CronSchedule } from "../../src/core/cron";
import { planFires, type PlanInput } from "../../src/core/schedule-plan";

const T = Date.parse("2027-01-01T12:00:00Z");
const M = 60_000;
const everyMinute = new CronSchedule("* * * * *", "UTC");
const base: PlanInput = {
  schedule: everyMinute,
  nextRunAt: T,
  now: T,
  horizon: T + M,
  misfirePolicy: "run_once",
  misfireLimit: 10,
  overlapPolicy: "allow",
  lastJobState: null,
};
const rel = (times: number[]) => times.map((t) => (t - T) / M);

describe("planFires on time", () => {
  it("enqueues the fires of the coming minute and moves next to the one after", () => {
    expect(planFires(base)).toEqual({ fires: [T], misfired: false, overlapSkipped: 0, nextRunAt: T + M });
    const tenSeconds = planFires({ ...base, schedule: new CronSchedule("*/10 * * * * *", "UTC") });
    expect(tenSeconds.fires.map((t) => (t - T) / 1000)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(tenSeconds.nextRunAt).toBe(T + M);
  });

  it("enqueues nothing when the next fire is beyond the window", () => {
    const hourly = planFires({ ...base, schedule: new CronSchedule("0 * * * *", "UTC"), nextRunAt: T + 60 * M });
    expect(hourly).toMatchObject({ fires: [], misfired: false, nextRunAt: T + 60 * M });
  });
});

describe("planFires after an hour of downtime", () => {
  const late = { ...base, nextRunAt: T - 60 * M };

  it("skip: drops the 60 missed fires, keeps the one on time", () => {
    expect(planFires({ ...late, misfirePolicy: "skip" })).toMatchObject({ fires: [T], misfired: true });
  });

  it("run_once: runs the latest missed fire once, then the one on time", () => {
    expect(rel(planFires({ ...late, misfirePolicy: "run_once" }).fires)).toEqual([-1, 0]);
  });

  it("run_all: runs the latest missed fires up to the limit", () => {
    expect(rel(planFires({ ...late, misfirePolicy: "run_all", misfireLimit: 5 }).fires)).toEqual([-5, -4, -3, -2, -1, 0]);
    expect(planFires({ ...late, misfirePolicy: "run_all", misfireLimit: 1000 }).fires).toHaveLength(61);
  });

  it("a schedule that had no fire in the gap did not misfire", () => {
    const daily = planFires({ ...late, schedule: new CronSchedule("0 3 * * *", "UTC"), nextRunAt: T - 60 * M });
    expect(daily).toMatchObject({ fires: [], misfired: false });
  });
});

describe("planFires overlap", () => {
  const tenSeconds = { ...base, schedule: new CronSchedule("*/10 * * * * *", "UTC"), overlapPolicy: "skip" as const };

  it("skip: nothing while the last job is unfinished", () => {
    for (const state of ["scheduled", "queued", "running"] as const) {
      expect(planFires({ ...tenSeconds, lastJobState: state })).toMatchObject({ fires: [], overlapSkipped: 6, nextRunAt: T + M });
    }
  });

  it("skip: once the last job finished (or there was none), only the tick's first fire", () => {
    for (const state of [null, "completed", "dead", "cancelled"] as const) {
      expect(planFires({ ...tenSeconds, lastJobState: state })).toMatchObject({ fires: [T], overlapSkipped: 5 });
    }
  });

  it("allow: every fire regardless of the last job", () => {
    expect(planFires({ ...tenSeconds, overlapPolicy: "allow", lastJobState: "running" }).fires).toHaveLength(6);
  });
});
