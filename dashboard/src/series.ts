import { stepStarts } from "../../src/core/time-buckets";
import type { ByHour, Throughput } from "./types";

/** Gap filling for charts: the API returns only the steps and hours that had jobs. */

type Point = Throughput["series"][number];

/** Every step of [from, to), the API's points where it has them and zeros elsewhere. */
export function fillSeries(data: Throughput): Point[] {
  const byStart = new Map(data.series.map((p) => [Date.parse(p.start), p]));
  return stepStarts(Date.parse(data.from), Date.parse(data.to), data.stepMs).map(
    (t) => byStart.get(t) ?? { start: new Date(t).toISOString(), submitted: 0, completed: 0, failed: 0, retried: 0, dead: 0 },
  );
}

/** All 24 hours of the day, in order. */
export function fillHours(hours: ByHour["hours"]): ByHour["hours"] {
  const byHour = new Map(hours.map((h) => [h.hour, h.submitted]));
  return Array.from({ length: 24 }, (_, hour) => ({ hour, submitted: byHour.get(hour) ?? 0 }));
}
