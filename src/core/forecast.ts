/**
 * Job-volume forecasting from hourly submission counts: a multiplicative seasonal model on a damped
 * linear trend. The season is the hour of the week (hour of day and day of week together, in UTC, so
 * "weekends are quiet all day" is learnt, which hour-of-day × day-of-week factors miss) once each
 * hour of the week has been seen twice, and the hour of day before that. It is small enough to refit on every
 * request from the hour rollups, and its error is measured by holding back the last week
 * (`backtest`), against the seasonal-naive forecast ("same hour last week") as the baseline.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Submissions in one UTC hour, `start` in ms since the epoch (a multiple of an hour). */
export interface HourlyCount {
  start: number;
  count: number;
}

export interface SeasonalModel {
  /** Deseasonalised jobs per hour at the end of the history. */
  level: number;
  /** Change of the level per day (damped when projected). */
  trendPerDay: number;
  /** Multipliers (mean 1) by UTC hour of day (24), or by hour of the week from Sunday 00:00 (168). */
  season: number[];
  /** Standard deviation of the hourly in-sample error, in jobs. */
  residualSd: number;
  /** Hours of history the model was fitted on. */
  historyHours: number;
  /** The first hour after the history, where forecasts start. */
  end: number;
}

/** The least history worth fitting: one full day, so every hour of day has been seen once. */
export const MIN_HISTORY_HOURS = 24;
/** The trend's damping per day ahead: a trend fitted on weeks should not run on for a month. */
const DAMPING = 0.95;
/** The days the trend is fitted on (older days still shape the seasonal factors). */
const TREND_DAYS = 28;

/**
 * Every hour from the first one with any submissions up to `end` (exclusive), zero where the rollup
 * has no row: a queue created three days ago has three days of history, not eight weeks of zeros.
 */
export function densify(points: HourlyCount[], end: number): HourlyCount[] {
  const byStart = new Map(points.map((p) => [p.start, p.count]));
  const first = Math.min(...points.filter((p) => p.count > 0).map((p) => p.start));
  if (!Number.isFinite(first)) return [];
  const out: HourlyCount[] = [];
  for (let t = first; t < end; t += HOUR) out.push({ start: t, count: byStart.get(t) ?? 0 });
  return out;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const hourOf = (t: number) => new Date(t).getUTCHours();
const weekdayOf = (t: number) => new Date(t).getUTCDay();
const hourOfWeekOf = (t: number) => weekdayOf(t) * 24 + hourOf(t);
/** Which season slot the hour starting at `t` is in, for a season of 24 or 168 slots. */
const slotOf = (season: number[], t: number) => (season.length === 168 ? hourOfWeekOf(t) : hourOf(t));

/** Mean count of each group divided by the mean of the groups (1 where a group is empty or all is zero). */
function factors(series: HourlyCount[], groups: number, groupOf: (t: number) => number): number[] {
  const buckets: number[][] = Array.from({ length: groups }, () => []);
  for (const p of series) buckets[groupOf(p.start)]!.push(p.count);
  const means = buckets.map((b) => (b.length === 0 ? null : mean(b)));
  const overall = mean(means.filter((m): m is number => m !== null));
  return means.map((m) => (m === null || overall === 0 ? 1 : m / overall));
}

/** Least-squares line through (x, y): slope and the value at `at`. */
function fitLine(xs: number[], ys: number[], at: number): { slope: number; value: number } {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  const slope = den === 0 ? 0 : num / den;
  return { slope, value: my + slope * (at - mx) };
}

/** Fits the model on a dense hourly series (see `densify`); null below MIN_HISTORY_HOURS. */
export function fitSeasonal(series: HourlyCount[]): SeasonalModel | null {
  if (series.length < MIN_HISTORY_HOURS) return null;
  const end = series[series.length - 1]!.start + HOUR;
  // A weekly pattern needs each hour of the week seen twice to tell it from a one-off day.
  const season = series.length >= 14 * 24 ? factors(series, 168, hourOfWeekOf) : factors(series, 24, hourOf);
  const seasonal = (t: number) => season[slotOf(season, t)]!;

  // The trend is fitted on deseasonalised daily means of the recent days, in days before `end`.
  const recent = series.filter((p) => p.start >= end - TREND_DAYS * DAY);
  const days = new Map<number, number[]>();
  for (const p of recent) {
    const s = seasonal(p.start);
    const day = Math.floor((p.start - end) / DAY);
    days.set(day, [...(days.get(day) ?? []), s > 0 ? p.count / s : 0]);
  }
  const xs = [...days.keys()].map((d) => d + 0.5);
  const ys = [...days.values()].map(mean);
  const line = xs.length >= 3 ? fitLine(xs, ys, 0) : { slope: 0, value: mean(ys) };
  const level = Math.max(0, line.value);

  const model: SeasonalModel = { level, trendPerDay: line.slope, season, residualSd: 0, historyHours: series.length, end };
  const errors = recent.map((p) => p.count - predictAt(model, p.start));
  model.residualSd = Math.sqrt(mean(errors.map((e) => e * e)));
  return model;
}

/** Sum of DAMPING^k for k = 1…days, fractional days interpolated: how far the trend carries. */
function dampedDays(days: number): number {
  if (days <= 0) return days;
  return (DAMPING * (1 - DAMPING ** days)) / (1 - DAMPING);
}

/** Expected submissions in the hour starting at `t` (also before `end`, for in-sample errors). */
export function predictAt(model: SeasonalModel, t: number): number {
  const daysAhead = (t - model.end) / DAY;
  const level = Math.max(0, model.level + model.trendPerDay * dampedDays(daysAhead));
  return level * model.season[slotOf(model.season, t)]!;
}

export interface DailyForecast {
  /** Start of the UTC day. */
  day: number;
  expected: number;
  /** An 80% interval, assuming hourly errors independent. */
  low: number;
  high: number;
  /** The busiest hour's expected count and its start. */
  peakHourly: number;
  peakAt: number;
}

/** Z of an 80% two-sided interval. */
const Z80 = 1.2816;

/** Expected submissions in the `hours` hours after the history. */
export function forecastTotal(model: SeasonalModel, hours: number): number {
  let total = 0;
  for (let i = 0; i < hours; i++) total += predictAt(model, model.end + i * HOUR);
  return total;
}

/** Expected submissions per UTC day, from the day the history ends in (its hours still to come) on. */
export function forecastDays(model: SeasonalModel, days: number): DailyForecast[] {
  const firstDay = Math.floor(model.end / DAY) * DAY;
  const out: DailyForecast[] = [];
  for (let d = 0; d < days; d++) {
    const day = firstDay + d * DAY;
    let expected = 0;
    let hours = 0;
    let peakHourly = 0;
    let peakAt = Math.max(day, model.end);
    for (let t = Math.max(day, model.end); t < day + DAY; t += HOUR) {
      const v = predictAt(model, t);
      expected += v;
      hours += 1;
      if (v > peakHourly) [peakHourly, peakAt] = [v, t];
    }
    const spread = Z80 * model.residualSd * Math.sqrt(hours);
    out.push({ day, expected, low: Math.max(0, expected - spread), high: expected + spread, peakHourly, peakAt });
  }
  return out;
}

export interface Backtest {
  /** Hours held back and forecast. */
  heldBackHours: number;
  /** Weighted absolute percentage error of the model: Σ|error| / Σ actual. */
  wape: number;
  /** The same for "same hour last week" (or yesterday, with under two weeks of history). */
  naiveWape: number;
}

/**
 * Fits on all but the last `holdoutHours` of a dense series and scores the forecast of the held-back
 * hours; null when what is left to fit on is too short or nothing happened in the held-back hours.
 */
export function backtest(series: HourlyCount[], holdoutHours = 168): Backtest | null {
  const train = series.slice(0, series.length - holdoutHours);
  const test = series.slice(series.length - holdoutHours);
  const model = fitSeasonal(train);
  const actual = test.reduce((a, p) => a + p.count, 0);
  if (!model || test.length < holdoutHours || actual === 0) return null;
  const season = train.length >= 14 * 24 ? 168 : 24;
  const countAt = new Map(series.map((p) => [p.start, p.count]));
  let modelError = 0;
  let naiveError = 0;
  for (const p of test) {
    modelError += Math.abs(p.count - predictAt(model, p.start));
    // The naive forecast repeats the last season of the training data.
    const lag = Math.ceil((p.start - model.end + HOUR) / (season * HOUR)) * season * HOUR;
    naiveError += Math.abs(p.count - (countAt.get(p.start - lag) ?? 0));
  }
  return { heldBackHours: holdoutHours, wape: modelError / actual, naiveWape: naiveError / actual };
}
