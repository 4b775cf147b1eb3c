import { sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { schedules } from "../schema";
import type { ScheduleView } from "./schedules";

export interface ClaimOptions {
  /** The tick's time: claims that ended before it are free again. */
  now: Date;
  /** Schedules whose next fire is before this are due. */
  horizon: Date;
  /** Marks this tick's claims; only it may advance them. */
  token: string;
  /** The claim lasts until then; a tick that dies leaves the schedule to a later one. */
  until: Date;
  limit: number;
}

const toSchedule = rowMapper(schedules);

/**
 * Claims the enabled schedules due before the horizon in one conditional update, skipping rows
 * another tick holds (locked now, or claimed and not yet expired), so a doubled tick claims each
 * schedule once. Returns them with the state of their last job, for the overlap policy.
 */
export async function claimDueSchedules(db: Db, o: ClaimOptions): Promise<ScheduleView[]> {
  const result = await db.execute(sql`
    with due as (
      select id from schedules
      where enabled and next_run_at < ${o.horizon.toISOString()}::timestamptz
        and (claimed_until is null or claimed_until <= ${o.now.toISOString()}::timestamptz)
      order by next_run_at
      limit ${o.limit}
      for update skip locked
    )
    update schedules s set claim_token = ${o.token}, claimed_until = ${o.until.toISOString()}::timestamptz
    from due where s.id = due.id
    returning s.*, (select j.state from jobs j where j.id = s.last_job_id) as last_job_state`);
  return (result.rows as Record<string, unknown>[]).map((raw) => ({ schedule: toSchedule(raw), lastJobState: (raw.last_job_state as JobState | null) ?? null }));
}
