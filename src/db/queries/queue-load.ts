import { sql } from "drizzle-orm";
import type { QueueLoad } from "../../insights/capacity";
import type { Db } from "../client";
import type { TenantId } from "../../core/tenancy";
import { ownQueue } from "./tenant-scope";

/**
 * Arrival rate, service time, retries, throughput and backlog of one queue over the last `windowMs`
 * (attempts that started in it, read through the started_at index), in one statement.
 */
export async function queueLoad(db: Db, queue: string, concurrency: number, now: Date, windowMs: number): Promise<QueueLoad> {
  const since = new Date(now.getTime() - windowMs).toISOString();
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    select
      (select count(*) from jobs where queue = ${queue} and created_at > ${since}::timestamptz)::int as arrivals,
      (select count(*) from jobs where queue = ${queue} and (state = 'queued' or (state = 'scheduled' and run_at <= ${nowIso}::timestamptz)))::int as backlog,
      a.finished, a.jobs, a.mean_ms
    from (
      select count(*)::int as finished, count(distinct a.job_id)::int as jobs, coalesce(avg(a.duration_ms), 0)::float8 as mean_ms
        from job_attempts a join jobs j on j.id = a.job_id
       where j.queue = ${queue} and a.started_at > ${since}::timestamptz and a.outcome in ('completed', 'failed', 'timeout')
    ) a`);
  const r = result.rows[0] as { arrivals: number; backlog: number; finished: number; jobs: number; mean_ms: number };
  const seconds = windowMs / 1000;
  return {
    arrivalPerSec: r.arrivals / seconds,
    serviceMs: Number(r.mean_ms),
    attemptsPerJob: r.jobs > 0 ? r.finished / r.jobs : 1,
    backlog: r.backlog,
    throughputPerSec: r.finished / seconds,
    concurrency,
  };
}

/** A queued job's place in its queue's order (priority first, then FIFO), 1-based; null unless queued. */
export async function queuePosition(db: Db, jobId: string): Promise<number | null> {
  const result = await db.execute(sql`
    select (select count(*) from jobs o
             where o.queue = j.queue and o.state = 'queued'
               and (o.priority > j.priority or (o.priority = j.priority and (o.run_at, o.created_at, o.id) < (j.run_at, j.created_at, j.id)))
           )::int + 1 as position
      from jobs j where j.id = ${jobId} and j.state = 'queued'`);
  const row = result.rows[0] as { position: number } | undefined;
  return row ? row.position : null;
}

export interface SlowJobType {
  type: string;
  attempts: number;
  timeouts: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  timeoutMs: number;
}

/** Job types by p95 duration of the attempts started since `since`, slowest first. */
export async function slowJobTypes(db: Db, since: Date, limit: number, queue: string | undefined, tenant: TenantId): Promise<SlowJobType[]> {
  const result = await db.execute(sql`
    select j.type, count(*)::int as attempts, count(*) filter (where a.outcome = 'timeout')::int as timeouts,
           percentile_cont(0.5) within group (order by a.duration_ms)::float8 as p50,
           percentile_cont(0.95) within group (order by a.duration_ms)::float8 as p95,
           max(a.duration_ms)::int as max, max(j.timeout_ms)::int as timeout_ms
      from job_attempts a join jobs j on j.id = a.job_id
     where a.started_at > ${since.toISOString()}::timestamptz and a.duration_ms is not null and a.outcome <> 'lost'
       ${queue === undefined ? sql`` : sql`and j.queue = ${queue}`} and ${ownQueue(sql`j.queue`, tenant)}
     group by j.type
     order by p95 desc
     limit ${limit}`);
  return result.rows.map((r) => ({
    type: r.type as string,
    attempts: Number(r.attempts),
    timeouts: Number(r.timeouts),
    p50Ms: Number(r.p50),
    p95Ms: Number(r.p95),
    maxMs: Number(r.max),
    timeoutMs: Number(r.timeout_ms),
  }));
}
