import { describe, expect, it } from "vitest";
import { checkCron, CronSchedule, isValidTimeZone } from "../../src/core/cron";

const iso = (times: number[]) => times.map((t) => new Date(t).toISOString());
const at = (s: string) => Date.parse(s);
const H = 3_600_000;

describe("checkCron", () => {
  it("accepts 5 fields, and 6 with seconds first", () => {
    expect(checkCron("*/5 * * * *")).toBeNull();
    expect(checkCron("*/10 * * * * *")).toBeNull();
    expect(checkCron("0 9 * * MON-FRI")).toBeNull();
    expect(checkCron("0 0 L * *")).toBeNull();
    expect(checkCron("0 0 * * 1#2")).toBeNull();
  });

  it("names the field that is wrong", () => {
    expect(checkCron("61 * * * *")).toMatchObject({ field: "minute", message: expect.stringContaining('minute field "61"') });
    expect(checkCron("0 25 * * *")).toMatchObject({ field: "hour" });
    expect(checkCron("0 0 32 * *")).toMatchObject({ field: "day of month" });
    expect(checkCron("0 0 * 13 *")).toMatchObject({ field: "month" });
    expect(checkCron("0 0 * * 8")).toMatchObject({ field: "day of week" });
    expect(checkCron("70 * * * * *")).toMatchObject({ field: "second" });
    expect(checkCron("0 */0 * * * *")).toMatchObject({ field: "minute" });
    expect(checkCron("0 x * * *")).toMatchObject({ field: "hour" });
    expect(checkCron("H * * * *")).toMatchObject({ field: "minute", message: expect.stringContaining("hashed") });
  });

  it("refuses the wrong number of fields and fields that never match together", () => {
    expect(checkCron("* * * *")).toMatchObject({ field: null, message: expect.stringContaining("got 4") });
    expect(checkCron("* * * * * * *")).toMatchObject({ field: null, message: expect.stringContaining("got 7") });
    expect(checkCron("0 0 30 2 *")).toMatchObject({ field: null, message: expect.stringContaining("never match") });
  });
});

describe("isValidTimeZone", () => {
  it("knows IANA zones and refuses others", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("CronSchedule.between", () => {
  it("fires every minute and every ten seconds, from inclusive to until exclusive", () => {
    const from = at("2027-01-01T00:00:00Z");
    expect(iso(new CronSchedule("* * * * *", "UTC").between(from, from + 3 * 60_000, 100))).toEqual([
      "2027-01-01T00:00:00.000Z",
      "2027-01-01T00:01:00.000Z",
      "2027-01-01T00:02:00.000Z",
    ]);
    expect(new CronSchedule("*/10 * * * * *", "UTC").between(from, from + 60_000, 100).map((t) => (t - from) / 1000)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(new CronSchedule("*/10 * * * * *", "UTC").between(from + 500, from + 60_000, 2).map((t) => (t - from) / 1000)).toEqual([10, 20]);
  });

  it("reads the expression in the schedule's zone", () => {
    expect(iso(new CronSchedule("0 9 * * *", "Asia/Tokyo").take(at("2027-01-01T00:00:00Z"), 1))).toEqual(["2027-01-01T00:00:00.000Z"]);
  });
});

describe("daylight saving, America/New_York (2027-03-14 02:00 → 03:00; 2027-11-07 02:00 → 01:00)", () => {
  it("spring-forward: a time in the skipped hour does not fire that day", () => {
    const s = new CronSchedule("30 2 * * *", "America/New_York");
    expect(iso(s.take(at("2027-03-13T00:00:00Z"), 3))).toEqual(["2027-03-13T07:30:00.000Z", "2027-03-15T06:30:00.000Z", "2027-03-16T06:30:00.000Z"]);
    expect(iso(s.lastBefore(at("2027-03-15T12:00:00Z"), at("2027-03-13T00:00:00Z"), 5))).toEqual(["2027-03-13T07:30:00.000Z", "2027-03-15T06:30:00.000Z"]);
  });

  it("spring-forward: a schedule every 30 minutes goes from 01:30 EST to 03:00 EDT", () => {
    const s = new CronSchedule("*/30 * * * *", "America/New_York");
    expect(iso(s.between(at("2027-03-14T06:00:00Z"), at("2027-03-14T08:00:00Z"), 10))).toEqual([
      "2027-03-14T06:00:00.000Z",
      "2027-03-14T06:30:00.000Z",
      "2027-03-14T07:00:00.000Z",
      "2027-03-14T07:30:00.000Z",
    ]);
  });

  it("fall-back: a time in the repeated hour fires once, forwards and backwards", () => {
    const s = new CronSchedule("30 1 * * *", "America/New_York");
    const fires = ["2027-11-06T05:30:00.000Z", "2027-11-07T05:30:00.000Z", "2027-11-08T06:30:00.000Z"];
    expect(iso(s.take(at("2027-11-06T00:00:00Z"), 3))).toEqual(fires);
    expect(iso(s.lastBefore(at("2027-11-08T12:00:00Z"), at("2027-11-06T00:00:00Z"), 10))).toEqual(fires);
    const quarter = new CronSchedule("*/15 1 * * *", "America/New_York");
    expect(quarter.between(at("2027-11-07T04:00:00Z"), at("2027-11-07T09:00:00Z"), 10)).toHaveLength(4);
    expect(quarter.lastBefore(at("2027-11-07T09:00:00Z"), at("2027-11-07T04:00:00Z"), 10)).toHaveLength(4);
  });

  it("fall-back: an hourly schedule keeps firing every real hour", () => {
    const s = new CronSchedule("0 * * * *", "America/New_York");
    const fires = ["2027-11-07T05:00:00.000Z", "2027-11-07T06:00:00.000Z", "2027-11-07T07:00:00.000Z"];
    expect(iso(s.between(at("2027-11-07T05:00:00Z"), at("2027-11-07T08:00:00Z"), 10))).toEqual(fires);
    expect(iso(s.lastBefore(at("2027-11-07T08:00:00Z"), at("2027-11-07T05:00:00Z"), 10))).toEqual(fires);
  });
});

describe("daylight saving, Europe/Berlin (2027-03-28 02:00 → 03:00; 2027-10-31 03:00 → 02:00)", () => {
  it("spring-forward: 02:30 does not fire on the day it does not exist", () => {
    const s = new CronSchedule("30 2 * * *", "Europe/Berlin");
    expect(iso(s.take(at("2027-03-27T00:00:00Z"), 3))).toEqual(["2027-03-27T01:30:00.000Z", "2027-03-29T00:30:00.000Z", "2027-03-30T00:30:00.000Z"]);
  });

  it("fall-back: 02:30 fires once, at its first occurrence (CEST)", () => {
    const s = new CronSchedule("30 2 * * *", "Europe/Berlin");
    const fires = ["2027-10-30T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-01T01:30:00.000Z"];
    expect(iso(s.take(at("2027-10-30T00:00:00Z"), 3))).toEqual(fires);
    expect(iso(s.lastBefore(at("2027-11-01T12:00:00Z"), at("2027-10-30T00:00:00Z"), 10))).toEqual(fires);
  });

  it("every ten seconds across fall-back: no gap and no double", () => {
    const s = new CronSchedule("*/10 * * * * *", "Europe/Berlin");
    const fires = s.between(at("2027-10-31T00:59:00Z"), at("2027-10-31T01:01:00Z"), 100);
    expect(fires).toHaveLength(12);
    expect(new Set(fires.slice(1).map((t, i) => t - fires[i]!))).toEqual(new Set([10_000]));
  });

  it("a whole day across spring-forward has 23 hourly fires", () => {
    const s = new CronSchedule("0 * * * *", "Europe/Berlin");
    expect(s.between(at("2027-03-27T23:00:00Z"), at("2027-03-27T23:00:00Z") + 23 * H, 100)).toHaveLength(23);
  });
});
