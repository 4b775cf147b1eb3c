import { sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { appendEvents } from "./job-events";
import { endpoints, jobs, type EndpointRow, type JobRow } from "../schema";

/** A delivery of one job under one lease, as the scheduler sent it. */
export interface Delivery {
  id: string;
  lease: number;
  /** When the lease ends (a pull worker's visibility); by default the job's timeout plus the queue's margin. */
  deadline?: Date;
}

export interface Refusal extends Delivery {
  /** The job's state when refused; null when the job no longer exists. */
  state: JobState | null;
  leaseSeq: number | null;
}

export interface ClaimResult {
  claimed: JobRow[];
  refused: Refusal[];
  /** The HTTPS endpoint that runs a claimed job, by job id, for jobs bound to one. */
  endpoints: Map<string, EndpointRow>;
  /** Queues of the claimed jobs whose retry policy is `smart`: only their failures need advice. */
  smartQueues: Set<string>;
}

const toJob = rowMapper(jobs);
const toEndpoint = rowMapper(endpoints);

/**
 * Marks a batch of delivered jobs running in one statement, opening an attempt row for each and
 * closing as `lost` any attempt a dead runner left open. A delivery is refused when its lease is
 * not newer than the job's (a duplicate or stale message) or the job is final or cancelled.
 * Each claimed job comes with the endpoint bound to its type, else to its queue, if any. The audit
 * trail gets `event` (the consumer starts an attempt, a pull worker leases the job) and any `lost`.
 * Deliveries must be unique by id.
 */
export async function claimJobs(db: Db, deliveries: Delivery[], now: Date, runner: string, event: "started" | "leased" = "started"): Promise<ClaimResult> {
  if (deliveries.length === 0) return { claimed: [], refused: [], endpoints: new Map(), smartQueues: new Set() };
  const nowIso = now.toISOString();
  const rows = deliveries.map((d) => ({ id: d.id, lease: d.lease, deadline: d.deadline?.toISOString() ?? null }));
  const result = await db.execute(sql`
    with m as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as m(id uuid, lease bigint, deadline timestamptz)
    ), claimed as (
      update jobs j
         set state = 'running', lease_seq = m.lease, attempt = j.attempt + 1,
             started_at = ${nowIso}::timestamptz, updated_at = ${nowIso}::timestamptz,
             lease_expires_at = coalesce(m.deadline, ${nowIso}::timestamptz + (j.timeout_ms + q.visibility_timeout_ms) * interval '1 millisecond')
        from m, queues q
       where j.id = m.id and q.name = j.queue
         and j.state in ('queued', 'scheduled', 'running')
         and coalesce(j.lease_seq, 0) < m.lease
      returning j.*, q.retry_policy as queue_retry_policy,
        (select to_jsonb(e) from endpoints e
          where (e.kind = 'type' and e.name = j.type) or (e.kind = 'queue' and e.name = j.queue)
          order by e.kind = 'type' desc limit 1) as endpoint
    ), lost as (
      update job_attempts a
         set outcome = 'lost', finished_at = ${nowIso}::timestamptz,
             duration_ms = (extract(epoch from (${nowIso}::timestamptz - a.started_at)) * 1000)::int
        from claimed c
       where a.job_id = c.id and a.finished_at is null
      returning a.job_id, a.attempt, a.runner
    ), opened as (
      insert into job_attempts (job_id, attempt, lease_seq, runner, started_at)
      select id, attempt, lease_seq, ${runner}, ${nowIso}::timestamptz from claimed
    )${appendEvents(
      "audit",
      sql`select c.id, c.queue, c.type, ${nowIso}::timestamptz, 'lost', l.attempt, l.runner, jsonb_build_object('reason', 'the lease ended without an outcome')
            from lost l join claimed c on c.id = l.job_id
          union all
          select c.id, c.queue, c.type, ${nowIso}::timestamptz, ${event}, c.attempt, ${runner}, jsonb_build_object('lease', c.lease_seq, 'leaseExpiresAt', c.lease_expires_at)
            from claimed c`,
    )}
    select (select coalesce(json_agg(claimed), '[]'::json) from claimed) as claimed,
           (select coalesce(json_agg(distinct queue), '[]'::json) from claimed where queue_retry_policy = 'smart') as smart,
           (select coalesce(json_agg(json_build_object('id', m.id, 'lease', m.lease, 'state', j.state, 'leaseSeq', j.lease_seq)), '[]'::json)
              from m left join jobs j on j.id = m.id
             where not exists (select 1 from claimed c where c.id = m.id)) as refused`);
  const row = result.rows[0] as { claimed: Record<string, unknown>[]; refused: Refusal[]; smart: string[] };
  return {
    claimed: row.claimed.map(toJob),
    refused: row.refused.map((r) => ({ ...r, lease: Number(r.lease), leaseSeq: r.leaseSeq === null ? null : Number(r.leaseSeq) })),
    smartQueues: new Set(row.smart),
    endpoints: new Map(row.claimed.flatMap((raw) => (raw.endpoint ? [[raw.id as string, toEndpoint(raw.endpoint as Record<string, unknown>)] as const] : []))),
  };
}
