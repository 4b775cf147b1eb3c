import { sql } from "drizzle-orm";
import { ATTEMPT_SLOTS, BUCKET_COUNT } from "../../core/histogram";
import type { OutcomeFacts } from "../../core/outcome-facts";
import type { AttemptOutcome } from "../../core/states";
import type { Db } from "../client";
import { appendEvents } from "./job-events";
import { EVENT_COLUMNS, eventRows, fileDeliveries, type EventToMatch } from "./webhook-deliveries";
import type { JobErrorRecord } from "../schema";

/** The end of one attempt, as the consumer decided it. */
export interface AttemptResult {
  id: string;
  lease: number;
  attempt: number;
  /** The job's next state: done, back to wait for a retry, or dead-lettered. */
  state: "completed" | "scheduled" | "dead";
  outcome: AttemptOutcome;
  result?: unknown;
  error?: JobErrorRecord | null;
  /** When the retry is due (state `scheduled`). */
  runAt?: Date | null;
  backoffMs?: number | null;
  durationMs: number;
  facts: OutcomeFacts;
}

/**
 * Writes a batch of attempt outcomes in one statement: each job moves only if it is still running
 * under the same lease, so a late or duplicate runner never overwrites a newer outcome; the attempt
 * row is closed alongside, and the audit trail records the attempt's end (by its runner) and what
 * follows it. `webhookEvents` (built before the write, one per result, without the result or error, which
 * come from the outcome rows) are filed as deliveries for the outcomes that took effect, in the same statement, so an outcome and its webhooks commit
 * together. Returns the jobs whose outcome took effect, each saying whether other jobs depend on it
 * (read from the row the update took, so a dependent inserted meanwhile counts), and the deliveries.
 */
export async function recordOutcomes(
  db: Db,
  results: AttemptResult[],
  now: Date,
  webhookEvents: EventToMatch[] = [],
): Promise<{ applied: Map<string, { hasDependents: boolean }>; deliveries: string[] }> {
  if (results.length === 0) return { applied: new Map(), deliveries: [] };
  const nowIso = now.toISOString();
  const rows = results.map((r) => ({
    id: r.id,
    lease: r.lease,
    attempt: r.attempt,
    state: r.state,
    outcome: r.outcome,
    result: r.state === "completed" ? (r.result ?? null) : null,
    error: r.error ?? null,
    run_at: r.runAt?.toISOString() ?? null,
    backoff_ms: r.backoffMs ?? null,
    duration_ms: Math.round(r.durationMs),
    queue: r.facts.queue,
    type: r.facts.type,
    duration_bucket: r.facts.durationBucket,
    latency_bucket: r.facts.latencyBucket,
    attempt_slot: r.facts.attemptSlot,
    fingerprint: r.facts.fingerprint,
  }));
  const result = await db.execute(sql`
    with o as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as o(
        id uuid, lease bigint, attempt int, state text, outcome text, result jsonb, error jsonb,
        run_at timestamptz, backoff_ms int, duration_ms int, queue text, type text, duration_bucket int,
        latency_bucket int, attempt_slot int, fingerprint text)
    ), moved as (
      update jobs j
         set state = o.state,
             result = case when o.state = 'completed' then o.result else j.result end,
             last_error = coalesce(o.error, j.last_error),
             run_at = coalesce(o.run_at, j.run_at),
             last_backoff_ms = coalesce(o.backoff_ms, j.last_backoff_ms),
             finished_at = case when o.state in ('completed', 'dead') then ${nowIso}::timestamptz end,
             lease_expires_at = null,
             updated_at = ${nowIso}::timestamptz
        from o
       where j.id = o.id and j.state = 'running' and j.lease_seq = o.lease
      returning j.id, j.has_dependents
    ), closed as (
      update job_attempts a
         set finished_at = ${nowIso}::timestamptz, outcome = o.outcome, error = o.error, duration_ms = o.duration_ms
        from o join moved on moved.id = o.id
       where a.job_id = o.id and a.attempt = o.attempt
      returning a.job_id, a.runner
    ), took as (
      select o.* from o join moved on moved.id = o.id
    )${appendEvents(
      "audit",
      // By the attempt's runner: the attempt's end, then what follows from it.
      sql`select t.id, t.queue, t.type, ${nowIso}::timestamptz, k.kind, t.attempt, coalesce(c.runner, 'unknown'), k.data
            from took t left join closed c on c.job_id = t.id
           cross join lateral (
             select case when t.state = 'completed' then 'completed' else 'failed' end as kind,
                    case when t.state = 'completed' then jsonb_build_object('durationMs', t.duration_ms)
                         else jsonb_build_object('durationMs', t.duration_ms, 'outcome', t.outcome, 'error', t.error->>'message') end as data
             union all select 'retried', jsonb_build_object('runAt', t.run_at, 'backoffMs', t.backoff_ms) where t.state = 'scheduled'
             union all select 'dead_lettered', null where t.state = 'dead'
           ) k`,
    )}, counts as (
      select t.queue, t.type,
             count(*) filter (where t.state = 'completed') as completed,
             count(*) filter (where t.outcome in ('failed', 'timeout')) as failed,
             count(*) filter (where t.outcome = 'timeout') as timed_out,
             count(*) filter (where t.state = 'scheduled') as retried,
             count(*) filter (where t.state = 'dead') as dead,
             count(*) as duration_count, sum(t.duration_ms) as duration_sum_ms
        from took t group by 1, 2
    ), hist as (
      -- Histograms in plain SQL (a count per bucket index, then one array per queue and type): the
      -- array functions cost a call per row, which a batch of outcomes cannot afford.
      select queue, type,
             array_agg(d order by k) filter (where k < ${BUCKET_COUNT}) as durations,
             array_agg(l order by k) filter (where k < ${BUCKET_COUNT}) as latencies,
             array_agg(a order by k) filter (where k < ${ATTEMPT_SLOTS}) as attempts
        from (select t.queue, t.type, k.k,
                     count(*) filter (where t.duration_bucket = k.k) as d,
                     count(*) filter (where t.state = 'completed' and t.latency_bucket = k.k) as l,
                     count(*) filter (where t.state = 'completed' and t.attempt_slot = k.k) as a
                from took t cross join generate_series(0, ${Math.max(BUCKET_COUNT, ATTEMPT_SLOTS) - 1}) as k(k)
               group by 1, 2, 3) per_bucket
       group by 1, 2
    ), rolled as (
      insert into job_rollups as r (granularity, bucket, queue, type, completed, failed, timed_out, retried, dead,
                                    duration_count, duration_sum_ms, duration_buckets, latency_buckets, completed_by_attempt)
      select g.unit, date_trunc(g.unit, ${nowIso}::timestamptz, 'UTC'), c.queue, c.type, c.completed, c.failed, c.timed_out,
             c.retried, c.dead, c.duration_count, c.duration_sum_ms, h.durations,
             case when c.completed > 0 then h.latencies end, case when c.completed > 0 then h.attempts end
        from counts c join hist h on h.queue = c.queue and h.type = c.type
       cross join (values ('minute'), ('hour'), ('day')) as g(unit)
       order by 1, 2, 3, 4
      on conflict (granularity, bucket, queue, type) do update set
         completed = r.completed + excluded.completed, failed = r.failed + excluded.failed,
         timed_out = r.timed_out + excluded.timed_out, retried = r.retried + excluded.retried, dead = r.dead + excluded.dead,
         duration_count = r.duration_count + excluded.duration_count, duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
         duration_buckets = edgeq_array_add(r.duration_buckets, excluded.duration_buckets),
         latency_buckets = edgeq_array_add(r.latency_buckets, excluded.latency_buckets),
         completed_by_attempt = edgeq_array_add(r.completed_by_attempt, excluded.completed_by_attempt)
    ), errors as (
      insert into error_rollups as e (day, queue, type, fingerprint, error_name, sample_message, count, last_seen_at)
      select date_trunc('day', ${nowIso}::timestamptz, 'UTC'), t.queue, t.type, t.fingerprint,
             min(t.error->>'name'), left(min(t.error->>'message'), 1000), count(*), ${nowIso}::timestamptz
        from took t
       where t.fingerprint is not null
       group by 1, 2, 3, 4
       order by 1, 2, 3, 4
      on conflict (day, queue, type, fingerprint) do update set
         count = e.count + excluded.count, last_seen_at = excluded.last_seen_at, sample_message = excluded.sample_message
    ), hooks as (
      -- Each event gets its outcome's result (completed) or error (otherwise) from the outcome row.
      select e.type, e.queues, e.job_id, e.tenant, e.callback_url,
             jsonb_set(e.body, case when t.state = 'completed' then '{data,result}' else '{data,error}' end::text[],
                       coalesce(case when t.state = 'completed' then t.result else t.error end, 'null'::jsonb)) as body
        from jsonb_to_recordset(${eventRows(webhookEvents)}::jsonb) as e${EVENT_COLUMNS} join took t on t.id = e.job_id
    ), filed as (${fileDeliveries("hooks", now)})
    select (select coalesce(json_agg(json_build_object('id', id, 'hasDependents', has_dependents)), '[]'::json) from moved) as moved,
           (select coalesce(json_agg(id), '[]'::json) from filed) as deliveries`);
  const row = result.rows[0] as { moved: { id: string; hasDependents: boolean }[]; deliveries: string[] };
  return { applied: new Map(row.moved.map((m) => [m.id, { hasDependents: m.hasDependents === true }])), deliveries: row.deliveries };
}
