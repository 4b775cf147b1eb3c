import { sql } from "drizzle-orm";
import { CANCELLABLE_STATES } from "../../core/states";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { jobs, type JobRow } from "../schema";
import { appendEvents } from "./job-events";

const toJob = rowMapper(jobs);

/**
 * Cancels a job that has not started, recording who did in its audit trail. Returns the cancelled
 * row, or the unchanged row when its state forbids cancelling (running or final), or null when
 * there is no such job.
 */
export async function cancelJob(db: Db, id: string, now: Date, actor: string): Promise<{ job: JobRow; cancelled: boolean } | null> {
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    with cancelled as (
      update jobs set state = 'cancelled', finished_at = ${nowIso}::timestamptz, updated_at = ${nowIso}::timestamptz
       where id = ${id} and state in ${[...CANCELLABLE_STATES]}
      returning *
    )${appendEvents("audit", sql`select c.id, c.queue, c.type, ${nowIso}::timestamptz, 'cancelled', c.attempt, ${actor}, null::jsonb from cancelled c`)}
    select true as cancelled, * from cancelled
    union all
    select false, * from jobs where id = ${id} and not exists (select 1 from cancelled)`);
  const raw = result.rows[0];
  return raw ? { job: toJob(raw), cancelled: raw.cancelled === true } : null;
}
