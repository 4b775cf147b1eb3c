import { SCHEDULES_ACTOR } from "../core/job-events";
import { CronSchedule } from "../core/cron";
import { planFires } from "../core/schedule-plan";
import { withDb } from "../db/client";
import { advanceSchedules, type Advance } from "../db/queries/advance-schedules";
import { claimDueSchedules } from "../db/queries/claim-due-schedules";
import type { Env } from "../env";
import { fromTemplate } from "../api/schemas/job-input";
import { submitJobs, type Submitted } from "../jobs/submit";
import { fireKey } from "./timing";

/** The Cron Trigger fires every minute: each tick enqueues the fires up to the next tick's time. */
export const TICK_WINDOW_MS = 60_000;
/** A tick that died holding a claim leaves the schedule to the first tick after this. */
export const CLAIM_MS = 2 * 60_000;
/** Schedules one tick claims at most; the rest wait a minute, their fires then count as missed. */
export const CLAIM_LIMIT = 500;

/** What a tick did with one schedule. */
export interface ScheduleFired {
  schedule: string;
  /** Jobs asked for, and how many were new (the rest found by their idempotency key). */
  jobs: number;
  created: number;
  misfired: boolean;
  overlapSkipped: number;
}

export interface SchedulesReport {
  claimed: number;
  fired: ScheduleFired[];
  failed: { schedule: string; error: string }[];
}

/**
 * One tick of the recurring-jobs duty: claims the due schedules, enqueues each fire before
 * `now + TICK_WINDOW_MS` as a job whose `runAt` is the exact fire time (the queue's scheduler holds
 * it until then, to the second), keyed `schedule:<id>:<fire time>` so a doubled or retried tick
 * finds the same jobs, and moves each schedule to its next fire.
 */
export async function runOnce(env: Env, now: number): Promise<SchedulesReport> {
  const horizon = now + TICK_WINDOW_MS;
  const token = crypto.randomUUID();
  return withDb(env, async (db) => {
    const claimed = await claimDueSchedules(db, { now: new Date(now), horizon: new Date(horizon), token, until: new Date(now + CLAIM_MS), limit: CLAIM_LIMIT });
    const report: SchedulesReport = { claimed: claimed.length, fired: [], failed: [] };

    const planned = claimed.flatMap(({ schedule, lastJobState }) => {
      try {
        const plan = planFires({
          schedule: new CronSchedule(schedule.cron, schedule.timezone),
          nextRunAt: schedule.nextRunAt!.getTime(),
          now,
          horizon,
          misfirePolicy: schedule.misfirePolicy,
          misfireLimit: schedule.misfireLimit,
          overlapPolicy: schedule.overlapPolicy,
          lastJobState,
        });
        return [{ schedule, plan }];
      } catch (error) {
        // Left claimed: the claim expires and a later tick tries again.
        report.failed.push({ schedule: schedule.name, error: error instanceof Error ? error.message : String(error) });
        return [];
      }
    });

    // One submission per tenant: a tenant over its quota fails its own schedules, not the others'.
    const fired: { schedule: (typeof planned)[number]["schedule"]; plan: (typeof planned)[number]["plan"]; mine: Submitted[] }[] = [];
    for (const group of Map.groupBy(planned, (p) => p.schedule.tenantId).values()) {
      const items = group.flatMap(({ schedule, plan }) => plan.fires.map((at) => ({ ...fromTemplate(schedule.job, new Date(at), fireKey(schedule.id, at)), tenant: schedule.tenantId })));
      try {
        const submitted = items.length > 0 ? await submitJobs(env, db, items, new Date(now), SCHEDULES_ACTOR) : [];
        let offset = 0;
        for (const p of group) fired.push({ ...p, mine: submitted.slice(offset, (offset += p.plan.fires.length)) });
      } catch (error) {
        // Left claimed: the claim expires and a later tick tries again (the misfire policy then decides).
        for (const { schedule } of group) report.failed.push({ schedule: schedule.name, error: error instanceof Error ? error.message : String(error) });
      }
    }

    const advances: Advance[] = fired.map(({ schedule, plan, mine }) => {
      const last = mine.at(-1);
      report.fired.push({
        schedule: schedule.name,
        jobs: mine.length,
        created: mine.filter((m) => m.created).length,
        misfired: plan.misfired,
        overlapSkipped: plan.overlapSkipped,
      });
      return {
        id: schedule.id,
        nextRunAt: plan.nextRunAt === null ? null : new Date(plan.nextRunAt),
        lastRunAt: last ? new Date(plan.fires.at(-1)!) : null,
        lastJobId: last?.job.id ?? null,
      };
    });
    await advanceSchedules(db, token, advances);
    return report;
  });
}
