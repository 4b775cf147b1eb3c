import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Backoff } from "../../core/backoff";
import type { DependencyFailurePolicy } from "../../core/dependencies";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { appendEvents } from "./job-events";
import { jobs, queues, type JobRow, type QueueRow } from "../schema";
import { mayUseQueue, ownerOfNewQueue, type TenantId } from "../../core/tenancy";

/** A name another tenant holds: a producer-chosen job id, or a queue's name. */
export class TakenByAnotherTenant extends Error {
  constructor(
    readonly what: "job id" | "queue",
    readonly taken: string,
  ) {
    super(`the ${what} ${taken} belongs to another tenant`);
  }
}

/** One job to insert, already validated; unset options fall back to the queue's defaults. */
export interface NewJob {
  /** The producer's own id for the job; a new UUIDv7 when absent. */
  id?: string;
  type: string;
  payload: unknown;
  priority: number;
  runAt: Date | null;
  maxAttempts?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  idempotencyKey?: string;
  tags?: string[];
  batchId?: string;
  /** Jobs that must complete first; the job is `waiting` until then. */
  dependsOn?: string[];
  onDependencyFailure?: DependencyFailurePolicy;
  rateLimitKey?: string;
  concurrencyKey?: string;
  concurrencyLimit?: number;
  /** With `runAt`: replaces the queue's pending job of this key instead of adding one. */
  debounceKey?: string;
  callbackUrl?: string;
}

export interface InsertedJobs {
  queue: QueueRow;
  /** One entry per input, in input order; `created` is false where an id, idempotency or debounce key matched a job. */
  jobs: { job: JobRow; created: boolean }[];
}

const toJob = rowMapper(jobs);
const toQueue = rowMapper(queues);

/**
 * The dependency edges of the inserted jobs, and the mark on the stored jobs they wait for (jobs
 * of the same statement were marked in their own row). Left out of statements without
 * dependencies: even with nothing to mark, the update would scan `jobs`.
 */
const dependencyEdges = sql`, edges as (
      insert into job_dependencies (job_id, depends_on)
      select i.id, d.id from input i join ins on ins.id = i.id and ins.fresh cross join unnest(i.depends_on) as d(id)
      on conflict do nothing
    ), parents as (
      update jobs p set has_dependents = true
       where p.id in (select d.id from input i join ins on ins.id = i.id and ins.fresh cross join unnest(i.depends_on) as d(id))
         and not p.has_dependents
    )`;

/**
 * Inserts a batch of jobs into one queue in a single statement: creates the queue with defaults
 * if it is new, fills unset options from it, skips jobs whose id or idempotency key already
 * exists, and records dependency edges. A job with dependencies starts `waiting`. `debounce`
 * batches (every job with a debounce key, none twice) instead replace the payload and run time of
 * the queue's pending job of each key, when there is one. `dependedOn` holds the ids other jobs of
 * the same request wait for, so those jobs are marked as having dependents when inserted. Each
 * job's `submitted` event (by `actor`) is written by the same statement. A new queue belongs to
 * the submitter's `tenant` (shared when the submitter is the platform); nothing is inserted into
 * another tenant's queue (the caller sees the queue's owner and refuses). A job belongs to the
 * submitter's tenant, or to the queue's when the platform submits; its rate-limit and concurrency
 * keys are qualified by that tenant, so tenants never share a limit.
 */
export async function insertJobs(
  db: Db,
  queue: string,
  tenant: TenantId,
  input: NewJob[],
  now: Date,
  actor: string,
  dependedOn: ReadonlySet<string> = new Set(),
  debounce = false,
): Promise<InsertedJobs> {
  const rows = input.map((j) => {
    const id = j.id ?? uuidv7();
    return {
      id,
      type: j.type,
      payload: j.payload ?? null,
      priority: j.priority,
      run_at: j.runAt?.toISOString() ?? null,
      max_attempts: j.maxAttempts ?? null,
      backoff: j.backoff ?? null,
      timeout_ms: j.timeoutMs ?? null,
      idempotency_key: j.idempotencyKey ?? null,
      tags: j.tags ?? [],
      batch_id: j.batchId ?? null,
      depends_on: j.dependsOn ?? [],
      has_dependents: dependedOn.has(id),
      on_dependency_failure: j.onDependencyFailure ?? "cancel",
      rate_limit_key: j.rateLimitKey ?? null,
      concurrency_key: j.concurrencyKey ?? null,
      concurrency_limit: j.concurrencyLimit ?? null,
      debounce_key: j.debounceKey ?? null,
      callback_url: j.callbackUrl ?? null,
    };
  });
  const nowIso = now.toISOString();
  const conflict = debounce
    ? sql`on conflict (queue, coalesce(tenant_id, ''), debounce_key) where debounce_key is not null and state = 'scheduled' and attempt = 0
          do update set payload = excluded.payload, run_at = excluded.run_at, priority = excluded.priority, updated_at = excluded.updated_at`
    : sql`on conflict do nothing`;
  const statement = sql`
    with q_new as (
      insert into queues (name, tenant_id) values (${queue}, ${ownerOfNewQueue(queue, tenant)}) on conflict (name) do nothing returning *
    ), q_any as (
      select * from q_new union all select * from queues where name = ${queue} limit 1
    ), q as (
      select q_any.*, coalesce(${tenant}::text, q_any.tenant_id) as job_tenant from q_any
       where ${tenant}::text is null or q_any.tenant_id is null or q_any.tenant_id = ${tenant}
    ), input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as i(
        id uuid, type text, payload jsonb, priority smallint, run_at timestamptz, max_attempts int,
        backoff jsonb, timeout_ms int, idempotency_key text, tags text[], batch_id uuid, depends_on uuid[],
        has_dependents boolean, on_dependency_failure text, rate_limit_key text, concurrency_key text,
        concurrency_limit int, debounce_key text, callback_url text)
    ), ins as (
      insert into jobs (id, queue, tenant_id, type, payload, priority, state, run_at, max_attempts, backoff, timeout_ms,
                        idempotency_key, tags, created_at, updated_at, batch_id, has_dependents, on_dependency_failure,
                        rate_limit_key, concurrency_key, concurrency_limit, debounce_key, callback_url)
      select i.id, ${queue}, q.job_tenant, i.type, coalesce(i.payload, 'null'::jsonb), i.priority,
             case when cardinality(i.depends_on) > 0 then 'waiting' when i.run_at > ${nowIso}::timestamptz then 'scheduled' else 'queued' end,
             greatest(coalesce(i.run_at, ${nowIso}::timestamptz), ${nowIso}::timestamptz),
             coalesce(i.max_attempts, q.max_attempts), coalesce(i.backoff, q.backoff),
             coalesce(i.timeout_ms, q.timeout_ms), i.idempotency_key, i.tags, ${nowIso}::timestamptz, ${nowIso}::timestamptz,
             i.batch_id, i.has_dependents, i.on_dependency_failure,
             case when q.job_tenant is null then i.rate_limit_key else q.job_tenant || '/' || i.rate_limit_key end,
             case when q.job_tenant is null then i.concurrency_key else q.job_tenant || '/' || i.concurrency_key end,
             i.concurrency_limit, i.debounce_key, i.callback_url
      from input i cross join q
      ${conflict}
      returning *, (xmax = 0) as fresh
    )${input.some((j) => j.dependsOn?.length) ? dependencyEdges : sql``}${appendEvents(
      "audit",
      // Submitted, then delayed or waiting when it is; a debounced submission that replaced a pending job says so.
      sql`select ins.id, ${queue}, ins.type, ${nowIso}::timestamptz, k.kind, 0, ${actor}, k.data
            from ins cross join lateral (
              select 'submitted' as kind, jsonb_build_object('state', ins.state, 'priority', ins.priority, 'runAt', ins.run_at, 'replacedPending', not ins.fresh) as data
              union all
              select ins.state, jsonb_build_object('runAt', ins.run_at) where ins.state in ('scheduled', 'waiting')
            ) k`,
    )}, rolled as (
      insert into job_rollups as r (granularity, bucket, queue, type, submitted)
      select g.unit, date_trunc(g.unit, ${nowIso}::timestamptz, 'UTC'), ${queue}, ins.type, count(*)
        from ins cross join (values ('minute'), ('hour'), ('day')) as g(unit)
       where ins.fresh
       group by 1, 2, 4
       order by 1, 2, 4
      on conflict (granularity, bucket, queue, type) do update set submitted = r.submitted + excluded.submitted
    )
    select (select row_to_json(q_any) from q_any) as queue,
           (select coalesce(json_agg(ins), '[]'::json) from ins) as inserted`;
  type Row = { queue: Record<string, unknown> | null; inserted: Record<string, unknown>[] };
  let first = (await db.execute(statement)).rows[0] as Row;
  // A concurrent first submit created the queue after this statement's snapshot: it inserted
  // nothing and saw no queue row. Once more sees the committed row.
  if (first.queue === null) first = (await db.execute(statement)).rows[0] as Row;
  if (first.queue === null) throw new Error(`queue ${queue} could not be created or read`);
  const queueRow = toQueue(first.queue);
  // Another tenant's queue: the statement inserted nothing.
  if (!mayUseQueue(tenant, queueRow.tenantId)) throw new TakenByAnotherTenant("queue", queue);
  const jobTenant = tenant ?? queueRow.tenantId;
  const inserted = new Map(first.inserted.map((raw) => [raw.id as string, { job: toJob(raw), created: raw.fresh === true }]));
  // A debounced job that replaced a pending one came back under that job's id.
  const byDebounceKey = new Map([...inserted.values()].filter((r) => r.job.debounceKey !== null).map((r) => [r.job.debounceKey!, r]));

  const missing = rows.filter((r) => !inserted.has(r.id) && !(r.debounce_key !== null && byDebounceKey.has(r.debounce_key)));
  const missingKeys = missing.flatMap((r) => (r.idempotency_key === null ? [] : [r.idempotency_key]));
  const existing = new Map<string, JobRow>();
  if (missing.length > 0) {
    const keyMatch =
      missingKeys.length > 0 ? sql`(queue = ${queue} and coalesce(tenant_id, '') = ${jobTenant ?? ""} and idempotency_key in ${missingKeys})` : sql`false`;
    const found = await db.execute(sql`select * from jobs where id in ${missing.map((r) => r.id)} or ${keyMatch}`);
    for (const raw of found.rows) {
      const job = toJob(raw);
      existing.set(job.id, job);
      if (job.queue === queue && job.idempotencyKey !== null) existing.set(`key:${job.idempotencyKey}`, job);
    }
  }

  return {
    queue: queueRow,
    jobs: rows.map((r) => {
      const own = inserted.get(r.id) ?? (r.debounce_key === null ? undefined : byDebounceKey.get(r.debounce_key));
      if (own) return own;
      const match = existing.get(r.id) ?? (r.idempotency_key === null ? undefined : existing.get(`key:${r.idempotency_key}`));
      // A conflict whose job then vanished means the job was deleted between the two statements.
      if (!match) throw new Error(`job ${r.id} was not inserted and no job it conflicted with was found`);
      // Ids are global: a producer-chosen id another tenant's job holds is not this tenant's to see.
      if (match.tenantId !== jobTenant) throw new TakenByAnotherTenant("job id", r.id);
      return { job: match, created: false };
    }),
  };
}
