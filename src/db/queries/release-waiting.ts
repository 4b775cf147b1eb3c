import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { SYSTEM_ACTOR } from "../../core/job-events";
import { rowMapper } from "../map-row";
import { appendEvents } from "./job-events";
import { jobs, type JobRow } from "../schema";

/** Which waiting jobs to look at: the dependents of jobs that just became final, given ones, or any (the sweep). */
export type WaitingTarget = { dependentsOf: string[] } | { ids: string[] } | { any: number };

const toJob = rowMapper(jobs);

function candidates(target: WaitingTarget): SQL {
  if ("dependentsOf" in target) return sql`select distinct job_id as id from job_dependencies where depends_on in ${target.dependentsOf}`;
  if ("ids" in target) return sql`select unnest(${`{${target.ids.join(",")}}`}::uuid[]) as id`;
  // The sweep: waiting jobs with a failed dependency or none unfinished, whichever writer missed them.
  return sql`select w.id from jobs w where w.state = 'waiting'
    and (exists (select 1 from job_dependencies d join jobs p on p.id = d.depends_on where d.job_id = w.id and p.state in ('dead', 'cancelled'))
         or not exists (select 1 from job_dependencies d join jobs p on p.id = d.depends_on where d.job_id = w.id and p.state not in ('completed', 'dead', 'cancelled')))
    limit ${target.any}`;
}

/**
 * Moves waiting jobs on, in one statement: a job whose dependencies all completed (or, with
 * `onDependencyFailure: "run"`, all finished) becomes queued, or scheduled if its own time has not
 * come; a job one of whose dependencies died or was cancelled is cancelled with an error naming
 * it, unless it asked to run anyway. Returns the jobs it moved; each move is in its audit trail.
 *
 * Each caller runs this after its own write committed (a dependency's outcome, a dependent's
 * insert), so of two writers finishing a job's last two dependencies at once the later statement
 * sees both; `state = 'waiting'` in the update makes sure only one moves the job.
 */
export async function releaseWaiting(db: Db, target: WaitingTarget, now: Date): Promise<JobRow[]> {
  if ("dependentsOf" in target && target.dependentsOf.length === 0) return [];
  if ("ids" in target && target.ids.length === 0) return [];
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    with c as (${candidates(target)}),
    verdict as (
      select w.id,
             bool_and(p.state = 'completed') as all_completed,
             bool_and(p.state in ('completed', 'dead', 'cancelled')) as all_final,
             (array_agg(p.id::text || ' is ' || p.state order by p.id) filter (where p.state in ('dead', 'cancelled')))[1] as failed
        from c join jobs w on w.id = c.id and w.state = 'waiting'
        join job_dependencies d on d.job_id = w.id
        join jobs p on p.id = d.depends_on
       group by w.id
    ), moved as (
      update jobs j
         set state = case when v.failed is not null and j.on_dependency_failure = 'cancel' then 'cancelled'
                          when j.run_at > ${nowIso}::timestamptz then 'scheduled' else 'queued' end,
             run_at = greatest(j.run_at, ${nowIso}::timestamptz),
             finished_at = case when v.failed is not null and j.on_dependency_failure = 'cancel' then ${nowIso}::timestamptz end,
             last_error = case when v.failed is not null and j.on_dependency_failure = 'cancel'
                               then jsonb_build_object('name', 'DependencyFailed', 'message', 'dependency ' || v.failed, 'code', 'dependency_failed', 'retryable', false)
                               else j.last_error end,
             updated_at = ${nowIso}::timestamptz
        from verdict v
       where j.id = v.id and j.state = 'waiting'
         and ((v.failed is not null and j.on_dependency_failure = 'cancel') or v.all_completed or (v.all_final and j.on_dependency_failure = 'run'))
      returning j.*
    )${appendEvents(
      "audit",
      sql`select m.id, m.queue, m.type, ${nowIso}::timestamptz,
                 case when m.state = 'cancelled' then 'cancelled' else 'released' end, m.attempt, ${SYSTEM_ACTOR},
                 case when m.state = 'cancelled' then jsonb_build_object('reason', m.last_error->>'message') else jsonb_build_object('state', m.state) end
            from moved m`,
    )}
    select * from moved`);
  return result.rows.map(toJob);
}
