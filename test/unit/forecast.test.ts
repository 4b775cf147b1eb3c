import { describe, expect, it } from "vitest";
import { prng } from "../../bench/lib/prng";
import { backtest, densify, fitSeasonal, forecastDays, forecastTotal, MIN_HISTORY_HOURS, predictAt, type HourlyCount } from "../../src/core/forecast";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Monday 00:00 UTC. */
const START = Date.UTC(2026, 5, 1);

/** Office-hours traffic: busy 9–17 UTC, quiet weekends, `growth` more per day, `noise` relative. */
function traffic(days: number, opts: { base?: number; growth?: number; noise?: number; seed?: number } = {}): HourlyCount[] {
  const { base = 100, growth = 0, noise = 0, seed = 1 } = opts;
  const rnd = prng(seed);
  return Array.from({ length: days * 24 }, (_, i) => {
    const start = START + i * HOUR;
    const hour = new Date(start).getUTCHours();
    const weekday = new Date(start).getUTCDay();
    const shape = (hour >= 9 && hour < 17 ? 3 : 0.5) * (weekday === 0 || weekday === 6 ? 0.3 : 1);
    const level = base + growth * (i / 24);
    return { start, count: Math.max(0, Math.round(level * shape * (1 + noise * (rnd() * 2 - 1)))) };
  });
}

describe("forecasting", () => {
  it("starts the history at the first busy hour and fills missing hours with zeros", () => {
    const points = [
      { start: START, count: 0 },
      { start: START + 2 * HOUR, count: 5 },
      { start: START + 4 * HOUR, count: 1 },
    ];
    expect(densify(points, START + 6 * HOUR).map((p) => p.count)).toEqual([5, 0, 1, 0]);
    expect(densify([{ start: START, count: 0 }], START + HOUR)).toEqual([]);
  });

  it("needs a day of history", () => {
    expect(fitSeasonal(traffic(1).slice(0, MIN_HISTORY_HOURS - 1))).toBeNull();
    expect(fitSeasonal(traffic(1))).not.toBeNull();
  });

  it("learns the shape of the day from one day and of the week from two", () => {
    const day = fitSeasonal(traffic(3))!;
    expect(day.season).toHaveLength(24);
    expect(day.season[12]! / day.season[3]!).toBeCloseTo(6, 1);
    const week = fitSeasonal(traffic(14))!;
    expect(week.season).toHaveLength(168);
    // Wednesday noon against Wednesday 03:00, and Sunday noon against Wednesday noon.
    expect(week.season[3 * 24 + 12]! / week.season[3 * 24 + 3]!).toBeCloseTo(6, 1);
    expect(week.season[12]! / week.season[3 * 24 + 12]!).toBeCloseTo(0.3, 1);
  });

  it("forecasts a regular week almost exactly", () => {
    const model = fitSeasonal(traffic(28))!;
    const next = forecastDays(model, 7);
    expect(next).toHaveLength(7);
    // The 29th day is a Monday: 8 busy hours at 300 and 16 quiet ones at 50.
    expect(next[0]!.expected).toBeCloseTo(8 * 300 + 16 * 50, -1);
    expect(next[0]!.peakHourly).toBeCloseTo(300, 0);
    expect(new Date(next[0]!.peakAt).getUTCHours()).toBeGreaterThanOrEqual(9);
    // Saturday is quieter than Monday.
    expect(next[5]!.expected).toBeLessThan(next[0]!.expected * 0.4);
  });

  it("starts from the hour the history ends: today's remaining hours, then whole days", () => {
    // 28 days and 12 hours: the history ends at noon on a Monday.
    const model = fitSeasonal(traffic(29).slice(0, 28 * 24 + 12))!;
    const [today, tomorrow] = forecastDays(model, 2);
    expect(today!.expected).toBeCloseTo(5 * 300 + 7 * 50, -1);
    expect(tomorrow!.expected).toBeCloseTo(8 * 300 + 16 * 50, -1);
    expect(forecastTotal(model, 24)).toBeCloseTo(8 * 300 + 16 * 50, -1);
  });

  it("follows growth but damps it over a long horizon", () => {
    const model = fitSeasonal(traffic(28, { growth: 2 }))!;
    expect(model.trendPerDay).toBeCloseTo(2, 0);
    const month = forecastDays(model, 35);
    // Same weekday five weeks apart: higher, but less than the undamped 2 × 35 more per hour.
    expect(month[28]!.expected).toBeGreaterThan(month[0]!.expected);
    const undamped = month[0]!.expected + 2 * 28 * (8 * 3 + 16 * 0.5);
    expect(month[28]!.expected).toBeLessThan(undamped);
  });

  it("never forecasts fewer than zero jobs for a shrinking queue", () => {
    const model = fitSeasonal(traffic(28, { base: 60, growth: -2 }))!;
    expect(forecastDays(model, 30).every((d) => d.expected >= 0 && d.low >= 0)).toBe(true);
    expect(predictAt(model, model.end + 60 * DAY)).toBe(0);
  });

  it("beats the seasonal-naive forecast on noisy history, measured on a held-back week", () => {
    const result = backtest(traffic(56, { noise: 0.4, seed: 7 }))!;
    expect(result.heldBackHours).toBe(168);
    expect(result.wape).toBeLessThan(result.naiveWape);
    expect(result.wape).toBeLessThan(0.25);
  });

  it("gives no backtest when the held-back week is empty or the rest too short", () => {
    expect(backtest(traffic(7))).toBeNull();
    const quietLastWeek = traffic(21).map((p, i) => (i >= 14 * 24 ? { ...p, count: 0 } : p));
    expect(backtest(quietLastWeek)).toBeNull();
  });
});
