import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { AnomalyMetric, Baseline } from "../../insights/anomaly";
import type { Db } from "../client";
import type { TenantId } from "../../core/tenancy";
import { ownQueue } from "./tenant-scope";
import { anomalies, queueBaselines, type AnomalyRow } from "../schema";

export interface QueueReading {
  queue: string;
  /** Attempts that finished in the window, and how many of them failed or timed out. */
  finished: number;
  failed: number;
  meanMs: number | null;
  backlog: number;
}

/** The longest job timeout (15 minutes) and a margin: later outcomes are `lost`, which readings leave out. */
const LONGEST_ATTEMPT_MS = 16 * 60_000;

/**
 * Every queue's attempts that finished in (`since`, `now`] and its backlog now, in one statement.
 * The scan is bounded by start time so it uses the started_at index.
 */
export async function readQueues(db: Db, since: Date, now: Date): Promise<QueueReading[]> {
  const nowIso = now.toISOString();
  const startedAfter = new Date(since.getTime() - LONGEST_ATTEMPT_MS).toISOString();
  const result = await db.execute(sql`
    with a as (
      select j.queue, count(*)::int as finished, count(*) filter (where a.outcome in ('failed', 'timeout'))::int as failed, avg(a.duration_ms)::float8 as mean_ms
        from job_attempts a join jobs j on j.id = a.job_id
       where a.started_at > ${startedAfter}::timestamptz
         and a.finished_at > ${since.toISOString()}::timestamptz and a.finished_at <= ${nowIso}::timestamptz
         and a.outcome in ('completed', 'failed', 'timeout')
       group by j.queue
    ), b as (
      select queue, count(*)::int as backlog from jobs
       where state = 'queued' or (state = 'scheduled' and run_at <= ${nowIso}::timestamptz)
       group by queue
    )
    select q.name as queue, coalesce(a.finished, 0) as finished, coalesce(a.failed, 0) as failed, a.mean_ms, coalesce(b.backlog, 0) as backlog
      from queues q left join a on a.queue = q.name left join b on b.queue = q.name`);
  return result.rows.map((r) => ({
    queue: r.queue as string,
    finished: Number(r.finished),
    failed: Number(r.failed),
    meanMs: r.mean_ms === null ? null : Number(r.mean_ms),
    backlog: Number(r.backlog),
  }));
}

export type StoredBaseline = Baseline & { queue: string; metric: AnomalyMetric; lastValue: number | null };

export async function readBaselines(db: Db): Promise<StoredBaseline[]> {
  return db.select({ queue: queueBaselines.queue, metric: queueBaselines.metric, mean: queueBaselines.mean, variance: queueBaselines.variance, samples: queueBaselines.samples, lastValue: queueBaselines.lastValue }).from(queueBaselines);
}

/** Writes the tick's baselines and anomalies: one upsert, one insert. */
export async function saveTick(db: Db, baselines: StoredBaseline[], found: Omit<AnomalyRow, "id">[], now: Date): Promise<void> {
  if (baselines.length > 0) {
    await db
      .insert(queueBaselines)
      .values(baselines.map((b) => ({ ...b, updatedAt: now })))
      .onConflictDoUpdate({
        target: [queueBaselines.queue, queueBaselines.metric],
        set: { mean: sql`excluded.mean`, variance: sql`excluded.variance`, samples: sql`excluded.samples`, lastValue: sql`excluded.last_value`, updatedAt: sql`excluded.updated_at` },
      });
  }
  if (found.length > 0) await db.insert(anomalies).values(found);
}

export interface AnomalyCursor {
  createdAt: Date;
  id: string;
}

/** One page of anomalies, newest first. */
export async function listAnomalies(
  db: Db,
  filter: { tenant: TenantId; queue?: string; metric?: AnomalyMetric; since?: Date },
  limit: number,
  cursor: AnomalyCursor | null,
): Promise<{ anomalies: AnomalyRow[]; next: AnomalyCursor | null }> {
  const where: (SQL | undefined)[] = [
    filter.queue === undefined ? undefined : eq(anomalies.queue, filter.queue),
    ownQueue(sql`${anomalies.queue}`, filter.tenant),
    filter.metric === undefined ? undefined : eq(anomalies.metric, filter.metric),
    filter.since === undefined ? undefined : gte(anomalies.detectedAt, filter.since),
    cursor ? or(lt(anomalies.detectedAt, cursor.createdAt), and(eq(anomalies.detectedAt, cursor.createdAt), lt(anomalies.id, cursor.id))) : undefined,
  ];
  const rows = await db.select().from(anomalies).where(and(...where)).orderBy(desc(anomalies.detectedAt), desc(anomalies.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { anomalies: page, next: rows.length > limit && last ? { createdAt: last.detectedAt, id: last.id } : null };
}
