import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { appendEvents } from "./job-events";
import { jobs, type JobRow } from "../schema";

const toJob = rowMapper(jobs);

/** The worker holding the attempt of the job row `alias`: who an event on a held lease is by. */
const attemptRunner = (alias: string) =>
  sql.raw(`coalesce((select a.runner from job_attempts a where a.job_id = ${alias}.id and a.attempt = ${alias}.attempt), 'unknown')`);

/**
 * A pull worker's heartbeat: moves the lease's end and keeps its progress (in the audit trail too),
 * only while the job is running under that lease. Returns the job, or null when the lease is not the job's current one.
 */
export async function extendLease(db: Db, id: string, lease: number, until: Date, progress: unknown, now: Date): Promise<JobRow | null> {
  const nowIso = now.toISOString();
  const reported = progress === undefined ? null : JSON.stringify(progress);
  const result = await db.execute(sql`
    with extended as (
      update jobs set lease_expires_at = ${until.toISOString()}::timestamptz, updated_at = ${nowIso}::timestamptz,
                      progress = coalesce(${reported}::jsonb, progress)
       where id = ${id} and state = 'running' and lease_seq = ${lease}
      returning *
    )${appendEvents(
      "audit",
      // Progress goes in the trail when reported; a bare heartbeat only moves the lease.
      sql`select e.id, e.queue, e.type, ${nowIso}::timestamptz, 'progress', e.attempt, ${attemptRunner("e")}, jsonb_build_object('progress', ${reported}::jsonb)
            from extended e where ${reported}::jsonb is not null`,
    )}
    select * from extended`);
  const raw = result.rows[0];
  return raw ? toJob(raw) : null;
}

/**
 * Gives a leased job back unrun (a worker shutting down): queued again at once, its open attempt
 * closed as `lost`, and the attempt not counted against its budget (`attempt_base` moves with it).
 * Null when the lease is not the job's current one.
 */
export async function releaseJob(db: Db, id: string, lease: number, now: Date): Promise<JobRow | null> {
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    with released as (
      update jobs set state = 'queued', run_at = ${nowIso}::timestamptz, lease_expires_at = null, attempt_base = attempt_base + 1,
                      updated_at = ${nowIso}::timestamptz
       where id = ${id} and state = 'running' and lease_seq = ${lease}
      returning *
    ), closed as (
      update job_attempts a
         set outcome = 'lost', finished_at = ${nowIso}::timestamptz,
             duration_ms = (extract(epoch from (${nowIso}::timestamptz - a.started_at)) * 1000)::int,
             error = ${JSON.stringify({ name: "Released", message: "the worker gave the job back unfinished", code: "released", retryable: true })}::jsonb
        from released r
       where a.job_id = r.id and a.attempt = r.attempt
    )${appendEvents("audit", sql`select r.id, r.queue, r.type, ${nowIso}::timestamptz, 'returned', r.attempt, ${attemptRunner("r")}, null::jsonb from released r`)}
    select * from released`);
  const raw = result.rows[0];
  return raw ? toJob(raw) : null;
}
