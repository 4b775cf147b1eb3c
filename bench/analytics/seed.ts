/**
 * Seeds finished jobs, their attempts and their rollups straight into PostgreSQL with set-based
 * INSERT … SELECT (the server generates the rows; nothing crosses the wire per row). The rollups
 * are built with the same histogram buckets and array functions the live path uses.
 */
import type { Pool } from "@neondatabase/serverless";
import { BOUNDS_MS } from "../../src/core/histogram";
import { GRANULARITIES } from "../../src/core/time-buckets";

export const BENCH_QUEUES = 10;
export const BENCH_TYPES = 20;
/** Seeded jobs finish within this many days, inside the default retention, so the cron never prunes them. */
export const SPAN_DAYS = 12;
const CHUNK = 500_000;

const bounds = `array[${BOUNDS_MS.join(",")}]::int[]`;

export async function seededJobs(pool: Pool): Promise<number> {
  const { rows } = await pool.query("select count(*)::int as n from jobs where queue like 'bench-q%'");
  return rows[0].n as number;
}

export async function seed(pool: Pool, total: number, progress: (done: number) => void): Promise<void> {
  await pool.query(`insert into queues (name) select 'bench-q' || i from generate_series(0, ${BENCH_QUEUES - 1}) i on conflict do nothing`);
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK);
    // Every 20th job died with one of a few error shapes; run times spread over 5 ms – 2 s and a long tail.
    await pool.query(`
      with s as (
        select i, now() - (i::float8 / ${total}) * interval '${SPAN_DAYS} days' as t,
               case when i % 97 = 0 then 30000 + (i % 60000) else 5 + ((i * 7919) % 2000) end as d
          from generate_series(${from + 1}::bigint, ${to}::bigint) i
      ), ins as (
        insert into jobs (id, queue, type, payload, priority, state, run_at, attempt, max_attempts, backoff, timeout_ms,
                          created_at, updated_at, started_at, finished_at, last_error)
        select gen_random_uuid(), 'bench-q' || (i % ${BENCH_QUEUES}), 'type-' || (i % ${BENCH_TYPES}), '{}'::jsonb, (i % 11)::smallint,
               case when i % 20 = 0 then 'dead' else 'completed' end, t, 1, 3,
               '{"type":"exponential","baseMs":1000,"capMs":3600000,"jitter":"full"}'::jsonb, 60000,
               t, t + d * interval '1 ms', t, t + d * interval '1 ms',
               case when i % 20 = 0 then jsonb_build_object('name', 'Error', 'message', 'upstream answered ' || (500 + i % 4) || ' after ' || (i % 5000) || ' ms', 'retryable', false) end
          from s
        returning id, attempt, started_at, finished_at, state
      )
      insert into job_attempts (job_id, attempt, lease_seq, runner, started_at, finished_at, outcome, duration_ms)
      select id, attempt, 1, 'bench-seed', started_at, finished_at,
             case when state = 'completed' then 'completed' else 'failed' end,
             (extract(epoch from finished_at - started_at) * 1000)::int
        from ins`);
    progress(to);
  }
}

export async function hasRollups(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query("select exists (select 1 from job_rollups where queue like 'bench-q%') as found");
  return rows[0].found as boolean;
}

/**
 * The rollups of the seeded jobs, as the live path would have written them. Histograms are built
 * set-based (counts per bucket index, then one array per row): the per-row array aggregate the live
 * path uses on small batches is far too slow for millions of rows.
 */
export async function seedRollups(pool: Pool): Promise<void> {
  const n = BOUNDS_MS.length + 1;
  for (const g of GRANULARITIES) {
    await pool.query(`
      with j as materialized (
        select queue, type, state = 'completed' as ok, date_trunc('${g}', created_at, 'UTC') as b,
               (extract(epoch from finished_at - created_at) * 1000)::int as d
          from jobs where queue like 'bench-q%'
      ), totals as (
        select b, queue, type, count(*) as submitted, count(*) filter (where ok) as completed, count(*) filter (where not ok) as dead, sum(d)::bigint as sum_ms
          from j group by 1, 2, 3
      ), counts as (
        select b, queue, type, width_bucket(d - 1, ${bounds}) as k, count(*) as all_n, count(*) filter (where ok) as ok_n
          from j group by 1, 2, 3, 4
      ), hist as (
        select t.b, t.queue, t.type,
               array_agg(coalesce(c.all_n, 0) order by s.k) as durations, array_agg(coalesce(c.ok_n, 0) order by s.k) as latencies
          from totals t cross join generate_series(0, ${n - 1}) as s(k)
          left join counts c on c.b = t.b and c.queue = t.queue and c.type = t.type and c.k = s.k
         group by 1, 2, 3
      )
      insert into job_rollups (granularity, bucket, queue, type, submitted, completed, failed, dead, duration_count, duration_sum_ms,
                               duration_buckets, latency_buckets, completed_by_attempt)
      select '${g}', t.b, t.queue, t.type, t.submitted, t.completed, t.dead, t.dead, t.submitted, t.sum_ms, h.durations, h.latencies,
             array[t.completed, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[]
        from totals t join hist h using (b, queue, type)
      on conflict (granularity, bucket, queue, type) do nothing`);
  }
  await pool.query(`
    insert into error_rollups (day, queue, type, fingerprint, error_name, sample_message, count, last_seen_at)
    select date_trunc('day', finished_at, 'UTC'), queue, type,
           'Error: upstream answered <n> after <n> ms', 'Error', min(last_error->>'message'), count(*), max(finished_at)
      from jobs where queue like 'bench-q%' and state = 'dead'
     group by 1, 2, 3
    on conflict do nothing`);
  // As autovacuum would have by now: statistics, and the visibility map index-only scans rely on.
  await pool.query("vacuum analyze");
}
