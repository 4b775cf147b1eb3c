import { DateTime } from "luxon";
import { CronSchedule } from "../core/cron";
import type { ScheduleRow } from "../db/schema";

type Timing = Pick<ScheduleRow, "cron" | "timezone" | "startAt">;

/** The schedule's fire times at or after `now` (and its start), up to `count`. */
export function upcomingFires(s: Timing, now: number, count: number): number[] {
  return new CronSchedule(s.cron, s.timezone).take(Math.max(now, s.startAt?.getTime() ?? 0), count);
}

/** Where a schedule starts counting after it is created, re-timed or resumed: its first fire from now. */
export function firstFireAt(s: Timing, now: number): Date | null {
  const [first] = upcomingFires(s, now, 1);
  return first === undefined ? null : new Date(first);
}

/** A fire time as the zone's wall clock with its offset, e.g. 2027-03-14T03:00:00-04:00. */
export function localTime(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(at).toISOString();
}

/** The idempotency key of a fire: a doubled or retried tick finds the job it already made. */
export function fireKey(scheduleId: string, at: number): string {
  return `schedule:${scheduleId}:${new Date(at).toISOString()}`;
}
