import { sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";

/**
 * Deletes up to `limit` jobs in `state` that finished before `cutoff`, oldest first, by the
 * (state, finished_at) index; their attempts go with them. Rollups are untouched. Returns how many.
 */
export async function pruneFinishedJobs(db: Db, state: JobState, cutoff: Date, limit: number): Promise<number> {
  const result = await db.execute(sql`
    with doomed as (
      select id from jobs where state = ${state} and finished_at < ${cutoff.toISOString()}::timestamptz
       order by finished_at limit ${limit} for update skip locked
    )
    delete from jobs j using doomed where j.id = doomed.id returning j.id`);
  return result.rows.length;
}
