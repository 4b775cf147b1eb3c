import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Backoff } from "../../core/backoff";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { jobs, queues, type JobRow, type QueueRow } from "../schema";

/** One job to insert, already validated; unset options fall back to the queue's defaults. */
export interface NewJob {
  type: string;
  payload: unknown;
  priority: number;
  runAt: Date | null;
  maxAttempts?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  idempotencyKey?: string;
  tags?: string[];
}

export interface InsertedJobs {
  queue: QueueRow;
  /** One entry per input, in input order; `created` is false where an idempotency key matched a job. */
  jobs: { job: JobRow; created: boolean }[];
}

const toJob = rowMapper(jobs);
const toQueue = rowMapper(queues);

/**
 * Inserts a batch of jobs into one queue in a single statement: creates the queue with defaults
 * if it is new, fills unset options from it, and skips jobs whose idempotency key already exists.
 */
export async function insertJobs(db: Db, queue: string, input: NewJob[], now: Date): Promise<InsertedJobs> {
  const rows = input.map((j) => ({
    id: uuidv7(),
    type: j.type,
    payload: j.payload ?? null,
    priority: j.priority,
    run_at: j.runAt?.toISOString() ?? null,
    max_attempts: j.maxAttempts ?? null,
    backoff: j.backoff ?? null,
    timeout_ms: j.timeoutMs ?? null,
    idempotency_key: j.idempotencyKey ?? null,
    tags: j.tags ?? [],
  }));
  const nowIso = now.toISOString();
  const statement = sql`
    with q_new as (
      insert into queues (name) values (${queue}) on conflict (name) do nothing returning *
    ), q as (
      select * from q_new union all select * from queues where name = ${queue} limit 1
    ), input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as i(
        id uuid, type text, payload jsonb, priority smallint, run_at timestamptz, max_attempts int,
        backoff jsonb, timeout_ms int, idempotency_key text, tags text[])
    ), ins as (
      insert into jobs (id, queue, type, payload, priority, state, run_at, max_attempts, backoff, timeout_ms,
                        idempotency_key, tags, created_at, updated_at)
      select i.id, ${queue}, i.type, coalesce(i.payload, 'null'::jsonb), i.priority,
             case when i.run_at > ${nowIso}::timestamptz then 'scheduled' else 'queued' end,
             greatest(coalesce(i.run_at, ${nowIso}::timestamptz), ${nowIso}::timestamptz),
             coalesce(i.max_attempts, q.max_attempts), coalesce(i.backoff, q.backoff),
             coalesce(i.timeout_ms, q.timeout_ms), i.idempotency_key, i.tags, ${nowIso}::timestamptz, ${nowIso}::timestamptz
      from input i cross join q
      on conflict (queue, idempotency_key) where idempotency_key is not null do nothing
      returning *
    ), rolled as (
      insert into job_rollups as r (granularity, bucket, queue, type, submitted)
      select g.unit, date_trunc(g.unit, ${nowIso}::timestamptz, 'UTC'), ${queue}, ins.type, count(*)
        from ins cross join (values ('minute'), ('hour'), ('day')) as g(unit)
       group by 1, 2, 4
       order by 1, 2, 4
      on conflict (granularity, bucket, queue, type) do update set submitted = r.submitted + excluded.submitted
    )
    select (select row_to_json(q) from q) as queue,
           (select coalesce(json_agg(ins), '[]'::json) from ins) as inserted`;
  type Row = { queue: Record<string, unknown> | null; inserted: Record<string, unknown>[] };
  let first = (await db.execute(statement)).rows[0] as Row;
  // A concurrent first submit created the queue after this statement's snapshot: it inserted
  // nothing and saw no queue row. Once more sees the committed row.
  if (first.queue === null) first = (await db.execute(statement)).rows[0] as Row;
  if (first.queue === null) throw new Error(`queue ${queue} could not be created or read`);
  const inserted = new Map(first.inserted.map((raw) => [raw.id as string, toJob(raw)]));

  const missingKeys = rows.filter((r) => !inserted.has(r.id) && r.idempotency_key !== null).map((r) => r.idempotency_key as string);
  const existing = new Map<string, JobRow>();
  if (missingKeys.length > 0) {
    const found = await db.execute(sql`select * from jobs where queue = ${queue} and idempotency_key in ${missingKeys}`);
    for (const raw of found.rows) existing.set(raw.idempotency_key as string, toJob(raw));
  }

  return {
    queue: toQueue(first.queue),
    jobs: rows.map((r) => {
      const job = inserted.get(r.id);
      if (job) return { job, created: true };
      const match = existing.get(r.idempotency_key ?? "");
      // A key that conflicted and then vanished means the job was deleted between the two statements.
      if (!match) throw new Error(`job with idempotency key ${r.idempotency_key} was not inserted and not found`);
      return { job: match, created: false };
    }),
  };
}
