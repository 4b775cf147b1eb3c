import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";
import { RETRYABLE_STATES } from "../../core/states";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { jobs, type JobRow } from "../schema";
import { jobFilterWhere, type JobFilter } from "./job-filters";
import { appendEvents } from "./job-events";

/** Jobs by id (of the `tenant`'s, when one is given), or by filter. */
export type RequeueTarget = { ids: string[]; tenant: TenantId } | { filter: JobFilter; limit: number };

const toJob = rowMapper(jobs);

/**
 * Puts dead or cancelled jobs back to `queued` in one statement, with a fresh attempt budget
 * (counted from the attempts already made, so attempt numbers stay unique in the history), and a
 * `redriven` event by `actor` in each one's audit trail.
 */
export async function requeueJobs(db: Db, target: RequeueTarget, now: Date, actor: string): Promise<JobRow[]> {
  const retryable = inArray(jobs.state, [...RETRYABLE_STATES]);
  let picked: SQL;
  if ("ids" in target) {
    if (target.ids.length === 0) return [];
    picked = sql`select id from jobs where ${and(inArray(jobs.id, target.ids), retryable, target.tenant === null ? undefined : eq(jobs.tenantId, target.tenant))}`;
  } else {
    // Bulk by filter: bound the statement, oldest first, so repeated calls drain the rest.
    picked = sql`select id from jobs where ${and(jobFilterWhere(target.filter), retryable)} order by created_at limit ${target.limit}`;
  }
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    with requeued as (
      update jobs j
         set state = 'queued', attempt_base = j.attempt, run_at = ${nowIso}::timestamptz, finished_at = null, result = null,
             last_backoff_ms = null, updated_at = ${nowIso}::timestamptz
       where j.id in (${picked}) and j.state in ${[...RETRYABLE_STATES]}
      returning j.*, (select p.state from jobs p where p.id = j.id) as was
    )${appendEvents("audit", sql`select r.id, r.queue, r.type, ${nowIso}::timestamptz, 'redriven', r.attempt, ${actor}, jsonb_build_object('from', r.was) from requeued r`)}
    select * from requeued`);
  return result.rows.map(toJob);
}
