import { sql, type SQL } from "drizzle-orm";
import type { RatePolicy } from "../../core/rate-window";
import type { QueueMode } from "../../core/states";
import type { Granularity } from "../../core/time-buckets";
import type { Db } from "../client";
import type { TenantId } from "../../core/tenancy";
import { ownQueue, ownRow } from "./tenant-scope";

/** A window of time and optional filters, as every analytics read takes it. */
export interface Window {
  from: Date;
  to: Date;
  queue?: string;
  type?: string;
  /** The viewer's tenant: only its own queues count. */
  tenant?: TenantId;
}

function rollupFilter(granularity: Granularity, w: Window): SQL {
  return sql`granularity = ${granularity} and bucket >= ${w.from.toISOString()}::timestamptz and bucket < ${w.to.toISOString()}::timestamptz
    ${w.queue ? sql`and queue = ${w.queue}` : sql``} ${w.type ? sql`and type = ${w.type}` : sql``} and ${ownQueue(sql`queue`, w.tenant)}`;
}

const num = (v: unknown) => Number(v ?? 0);
const nums = (v: unknown) => (Array.isArray(v) ? v.map(Number) : null);

export interface QueueActivity {
  queue: string;
  paused: boolean;
  concurrency: number;
  rateLimit: RatePolicy | null;
  mode: QueueMode;
  waiting: number;
  scheduled: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  dead: number;
  durationCount: number;
  durationSumMs: number;
  oldestQueuedAt: Date | null;
}

/** Per queue: unfinished jobs by index range, today's counts from the day rollup, the oldest ready job. */
export async function queueActivity(db: Db, today: Date, tenant: TenantId): Promise<QueueActivity[]> {
  const count = (state: string) => sql`(select count(*) from jobs j where j.queue = q.name and j.state = ${state})`;
  const result = await db.execute(sql`
    select q.name as queue, q.paused, q.concurrency, q.rate_limit, q.mode,
           ${count("waiting")} as waiting, ${count("scheduled")} as scheduled, ${count("queued")} as queued, ${count("running")} as running,
           (select min(run_at) from jobs j where j.queue = q.name and j.state = 'queued') as oldest,
           r.completed, r.failed, r.dead, r.duration_count, r.duration_sum_ms
      from queues q
      left join lateral (
        select sum(completed) as completed, sum(failed) as failed, sum(dead) as dead,
               sum(duration_count) as duration_count, sum(duration_sum_ms) as duration_sum_ms
          from job_rollups r where r.granularity = 'day' and r.bucket = ${today.toISOString()}::timestamptz and r.queue = q.name
      ) r on true
     where ${ownRow(sql`q.tenant_id`, tenant)}
     order by q.name`);
  return result.rows.map((r) => ({
    queue: r.queue as string,
    paused: r.paused as boolean,
    concurrency: num(r.concurrency),
    rateLimit: (r.rate_limit as RatePolicy | null) ?? null,
    mode: r.mode as QueueMode,
    waiting: num(r.waiting),
    scheduled: num(r.scheduled),
    queued: num(r.queued),
    running: num(r.running),
    completed: num(r.completed),
    failed: num(r.failed),
    dead: num(r.dead),
    durationCount: num(r.duration_count),
    durationSumMs: num(r.duration_sum_ms),
    oldestQueuedAt: r.oldest ? new Date(r.oldest as string) : null,
  }));
}

export interface RollupTotals {
  submitted: number;
  completed: number;
  failed: number;
  timedOut: number;
  retried: number;
  dead: number;
  durationCount: number;
  durationSumMs: number;
  durationBuckets: number[] | null;
  latencyBuckets: number[] | null;
  completedByAttempt: number[] | null;
}

const SCALARS = sql`coalesce(sum(submitted), 0) as submitted, coalesce(sum(completed), 0) as completed, coalesce(sum(failed), 0) as failed,
  coalesce(sum(timed_out), 0) as timed_out, coalesce(sum(retried), 0) as retried, coalesce(sum(dead), 0) as dead,
  coalesce(sum(duration_count), 0) as duration_count, coalesce(sum(duration_sum_ms), 0) as duration_sum_ms`;

/** Element-wise sum of one histogram column over many rows, set-based (much faster than the aggregate). */
const summedArray = (column: string) =>
  sql.raw(`(select array_agg(n order by i) from (select i, sum(x)::bigint as n from r, unnest(r.${column}) with ordinality as u(x, i) group by i) s)`);

function toTotals(r: Record<string, unknown>): RollupTotals {
  return {
    submitted: num(r.submitted),
    completed: num(r.completed),
    failed: num(r.failed),
    timedOut: num(r.timed_out),
    retried: num(r.retried),
    dead: num(r.dead),
    durationCount: num(r.duration_count),
    durationSumMs: num(r.duration_sum_ms),
    durationBuckets: nums(r.duration_buckets),
    latencyBuckets: nums(r.latency_buckets),
    completedByAttempt: nums(r.completed_by_attempt),
  };
}

/** Everything the rollups of one granularity hold for the window, summed. */
export async function rollupTotals(db: Db, granularity: Granularity, w: Window): Promise<RollupTotals> {
  const result = await db.execute(sql`
    with r as materialized (select * from job_rollups where ${rollupFilter(granularity, w)})
    select s.*, ${summedArray("duration_buckets")} as duration_buckets, ${summedArray("latency_buckets")} as latency_buckets,
           ${summedArray("completed_by_attempt")} as completed_by_attempt
      from (select ${SCALARS} from r) s`);
  return toTotals(result.rows[0] ?? {});
}

/** Totals per queue and job type since the first rollup: the counters Prometheus scrapes (with the run-time histogram only). */
export async function lifetimeTotals(db: Db, tenant: TenantId): Promise<(RollupTotals & { queue: string; type: string })[]> {
  const result = await db.execute(sql`
    with r as materialized (select * from job_rollups where granularity = 'day' and ${ownQueue(sql`queue`, tenant)}),
    h as (
      select queue, type, array_agg(n order by i) as duration_buckets
        from (select queue, type, i, sum(x)::bigint as n from r, unnest(r.duration_buckets) with ordinality as u(x, i) group by 1, 2, 3) s
       group by 1, 2
    )
    select t.*, h.duration_buckets
      from (select queue, type, ${SCALARS} from r group by queue, type) t left join h using (queue, type)
     order by queue, type`);
  return result.rows.map((r) => ({ queue: r.queue as string, type: r.type as string, ...toTotals(r) }));
}

/** Counts per step of `stepMs` (a whole number of `granularity` buckets); no histograms. */
export async function rollupSeries(db: Db, granularity: Granularity, stepMs: number, w: Window): Promise<(RollupTotals & { start: Date })[]> {
  const result = await db.execute(sql`
    select extract(epoch from date_bin(${stepMs} * interval '1 millisecond', bucket, timestamptz '1970-01-01')) * 1000 as start, ${SCALARS}
      from job_rollups where ${rollupFilter(granularity, w)}
     group by 1 order by 1`);
  return result.rows.map((r) => ({ start: new Date(num(r.start)), ...toTotals(r) }));
}

/** Submissions by hour of day in `timeZone`. */
export async function submissionsByHour(db: Db, w: Window, timeZone: string): Promise<{ hour: number; submitted: number }[]> {
  const result = await db.execute(sql`
    select extract(hour from bucket at time zone ${timeZone})::int as hour, sum(submitted) as submitted
      from job_rollups where ${rollupFilter("hour", w)}
     group by 1 order by 1`);
  return result.rows.map((r) => ({ hour: num(r.hour), submitted: num(r.submitted) }));
}

export interface ErrorGroup {
  fingerprint: string;
  errorName: string;
  sampleMessage: string;
  count: number;
  queues: string[];
  types: string[];
  lastSeenAt: Date;
}

/** The most frequent error fingerprints over the days the window touches. */
export async function topErrors(db: Db, w: Window, limit: number): Promise<ErrorGroup[]> {
  const result = await db.execute(sql`
    select fingerprint, min(error_name) as error_name, max(sample_message) as sample_message, sum(count) as count,
           array_agg(distinct queue) as queues, array_agg(distinct type) as types, max(last_seen_at) as last_seen_at
      from error_rollups
     where day >= date_trunc('day', ${w.from.toISOString()}::timestamptz, 'UTC') and day < ${w.to.toISOString()}::timestamptz
       ${w.queue ? sql`and queue = ${w.queue}` : sql``} ${w.type ? sql`and type = ${w.type}` : sql``} and ${ownQueue(sql`queue`, w.tenant)}
     group by fingerprint order by count desc, fingerprint limit ${limit}`);
  return result.rows.map((r) => ({
    fingerprint: r.fingerprint as string,
    errorName: r.error_name as string,
    sampleMessage: r.sample_message as string,
    count: num(r.count),
    queues: r.queues as string[],
    types: r.types as string[],
    lastSeenAt: new Date(r.last_seen_at as string),
  }));
}

export interface TimelineEntry {
  jobId: string;
  queue: string;
  type: string;
  attempt: number;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
}

/** Attempts that started in the window, oldest first (by the attempts' start-time index). */
export async function timeline(db: Db, w: Window, limit: number): Promise<TimelineEntry[]> {
  const result = await db.execute(sql`
    select a.job_id, j.queue, j.type, a.attempt, a.started_at, a.finished_at, a.outcome
      from job_attempts a join jobs j on j.id = a.job_id
     where a.started_at >= ${w.from.toISOString()}::timestamptz and a.started_at < ${w.to.toISOString()}::timestamptz
       ${w.queue ? sql`and j.queue = ${w.queue}` : sql``} ${w.type ? sql`and j.type = ${w.type}` : sql``} and ${ownQueue(sql`j.queue`, w.tenant)}
     order by a.started_at, a.id limit ${limit}`);
  return result.rows.map((r) => ({
    jobId: r.job_id as string,
    queue: r.queue as string,
    type: r.type as string,
    attempt: num(r.attempt),
    startedAt: new Date(r.started_at as string),
    finishedAt: r.finished_at ? new Date(r.finished_at as string) : null,
    outcome: (r.outcome as string | null) ?? null,
  }));
}

/** The rollup counters per queue and job type over the window. */
export async function totalsByQueueAndType(db: Db, granularity: Granularity, w: Window): Promise<(RollupTotals & { queue: string; type: string })[]> {
  const result = await db.execute(sql`
    select queue, type, ${SCALARS} from job_rollups where ${rollupFilter(granularity, w)}
     group by queue, type order by queue, type`);
  return result.rows.map((r) => ({ queue: r.queue as string, type: r.type as string, ...toTotals(r) }));
}

/** Submissions per queue and hour over the window (hours with none are absent). */
export async function hourlySubmissions(db: Db, w: Window): Promise<{ queue: string; start: number; count: number }[]> {
  const result = await db.execute(sql`
    select queue, extract(epoch from bucket) * 1000 as start, sum(submitted) as count
      from job_rollups where ${rollupFilter("hour", w)}
     group by queue, bucket order by queue, bucket`);
  return result.rows.map((r) => ({ queue: r.queue as string, start: num(r.start), count: num(r.count) }));
}
