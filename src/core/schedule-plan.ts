import type { CronSchedule } from "./cron";
import { isFinal, type JobState } from "./states";

/**
 * What a tick does with fires it missed (the Worker was down or a tick failed): `skip` drops them,
 * `run_once` runs the latest one now, `run_all` runs each, the latest `misfireLimit` of them.
 */
export const MISFIRE_POLICIES = ["skip", "run_once", "run_all"] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

/** `allow` fires regardless; `skip` fires only once the schedule's previous job has finished. */
export const OVERLAP_POLICIES = ["allow", "skip"] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** Whether a schedule's previous job still counts as running for the overlap policy (not finished). */
export function isUnfinished(state: JobState | null): boolean {
  return state !== null && !isFinal(state);
}

export interface PlanInput {
  schedule: CronSchedule;
  /** The first fire not yet enqueued. */
  nextRunAt: number;
  /** The tick's time: fires before it were missed. */
  now: number;
  /** The end of the tick's window (exclusive): the next tick's `now`. */
  horizon: number;
  misfirePolicy: MisfirePolicy;
  misfireLimit: number;
  overlapPolicy: OverlapPolicy;
  /** State of the last job the schedule made, or null if none (or it is gone). */
  lastJobState: JobState | null;
}

export interface Plan {
  /** Fire times to enqueue now, ascending; each becomes a job with `runAt` at that time. */
  fires: number[];
  /** Whether any fire before `now` was missed. */
  misfired: boolean;
  /** Fires dropped by the overlap policy. */
  overlapSkipped: number;
  /** The first fire at or after the horizon: the next tick's work. Null if it never fires again. */
  nextRunAt: number | null;
}

/**
 * Decides which fires one tick enqueues: the missed ones by the misfire policy, then those due in
 * [max(nextRunAt, now), horizon). Overlap `skip` is decided at the tick, since a job's end is not
 * known in advance: nothing while the last job is unfinished, else only the first fire of the tick.
 */
export function planFires(input: PlanInput): Plan {
  const { schedule, nextRunAt, now, horizon } = input;
  const misfired = nextRunAt < now && schedule.lastBefore(now, nextRunAt, 1).length > 0;
  const missedCount = !misfired ? 0 : input.misfirePolicy === "run_all" ? input.misfireLimit : input.misfirePolicy === "run_once" ? 1 : 0;
  const missed = missedCount > 0 ? schedule.lastBefore(now, nextRunAt, missedCount) : [];
  const onTime = schedule.between(Math.max(nextRunAt, now), horizon, Number.POSITIVE_INFINITY);
  const all = [...missed, ...onTime];
  const fires = input.overlapPolicy === "allow" ? all : isUnfinished(input.lastJobState) ? [] : all.slice(0, 1);
  return { fires, misfired, overlapSkipped: all.length - fires.length, nextRunAt: schedule.first(horizon) };
}
