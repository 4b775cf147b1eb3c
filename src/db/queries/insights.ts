import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { FailureCategory, SuggestedAction, Verdict } from "../../insights/verdict";
import type { Db } from "../client";
import type { TenantId } from "../../core/tenancy";
import { ownQueue } from "./tenant-scope";
import { insightJobs, insights, type InsightRow, type JobErrorRecord } from "../schema";

/** One failed attempt to be explained, with the built-in analyzer's verdict. */
export interface FailureRecord {
  jobId: string;
  attempt: number;
  queue: string;
  jobType: string;
  fingerprint: string;
  error: JobErrorRecord;
  verdict: Verdict;
}

/**
 * Files a batch of failures in one statement: one insight per fingerprint and window (created with
 * the built-in verdict, or its `occurrences` raised when the window already has one), and a link
 * from each failed attempt to it. Returns each touched insight and whether this call created it,
 * so only the creator asks Workers AI.
 */
export async function fileFailures(db: Db, failures: FailureRecord[], windowStart: Date, now: Date): Promise<{ id: string; fingerprint: string; created: boolean }[]> {
  if (failures.length === 0) return [];
  const rows = failures.map((f) => ({ job_id: f.jobId, attempt: f.attempt, queue: f.queue, job_type: f.jobType, fingerprint: f.fingerprint, error: f.error, verdict: f.verdict }));
  const nowIso = now.toISOString();
  const result = await db.execute(sql`
    with f as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as f(job_id uuid, attempt int, queue text, job_type text, fingerprint text, error jsonb, verdict jsonb)
    ), g as (
      select distinct on (fingerprint) *, count(*) over (partition by fingerprint) as n from f order by fingerprint, job_id
    ), i as (
      insert into insights (fingerprint, window_start, queue, job_type, job_id, attempt, error, failure_category,
                            suggested_action, confidence_score, reasoning, eta_minutes, scaling_recommendation,
                            source, occurrences, created_at, last_seen_at)
      select fingerprint, ${windowStart.toISOString()}::timestamptz, queue, job_type, job_id, attempt, error,
             verdict->>'failure_category', verdict->>'suggested_action', (verdict->>'confidence_score')::float8,
             verdict->>'reasoning', (verdict->>'eta_minutes')::int, verdict->>'scaling_recommendation',
             'builtin', n, ${nowIso}::timestamptz, ${nowIso}::timestamptz
        from g
      on conflict (fingerprint, window_start) do update
         set occurrences = insights.occurrences + excluded.occurrences, last_seen_at = excluded.last_seen_at
      returning id, fingerprint, (xmax = 0) as created
    ), l as (
      insert into insight_jobs (job_id, attempt, insight_id, job_type, category, created_at)
      select f.job_id, f.attempt, i.id, f.job_type, f.verdict->>'failure_category', ${nowIso}::timestamptz
        from f join i using (fingerprint)
      on conflict do nothing
    )
    select id, fingerprint, created from i`);
  return result.rows.map((r) => ({ id: r.id as string, fingerprint: r.fingerprint as string, created: r.created as boolean }));
}

/** Replaces an insight's verdict with Workers AI's, or records why Workers AI's answer was not used. */
export async function recordAiAnswer(db: Db, id: string, answer: { verdict: Verdict; model: string } | { error: string; model: string }): Promise<void> {
  const set =
    "verdict" in answer
      ? {
          failureCategory: answer.verdict.failure_category,
          suggestedAction: answer.verdict.suggested_action,
          confidenceScore: answer.verdict.confidence_score,
          reasoning: answer.verdict.reasoning,
          etaMinutes: answer.verdict.eta_minutes,
          scalingRecommendation: answer.verdict.scaling_recommendation,
          source: "workers-ai" as const,
          model: answer.model,
          aiError: null,
        }
      : { model: answer.model, aiError: answer.error.slice(0, 500) };
  await db.update(insights).set(set).where(eq(insights.id, id));
}

export async function getInsight(db: Db, id: string): Promise<InsightRow | null> {
  const [row] = await db.select().from(insights).where(eq(insights.id, id));
  return row ?? null;
}

/** The insight that explains this attempt of a job (its newest failed one when `attempt` is omitted). */
export async function insightForJob(db: Db, jobId: string, attempt?: number): Promise<InsightRow | null> {
  const [row] = await db
    .select({ insight: insights })
    .from(insightJobs)
    .innerJoin(insights, eq(insights.id, insightJobs.insightId))
    .where(and(eq(insightJobs.jobId, jobId), attempt === undefined ? undefined : eq(insightJobs.attempt, attempt)))
    .orderBy(desc(insightJobs.attempt))
    .limit(1);
  return row?.insight ?? null;
}

export interface InsightFilter {
  /** The viewer's tenant: only insights of its own queues. */
  tenant: TenantId;
  queue?: string;
  jobType?: string;
  jobId?: string;
  category?: FailureCategory;
  action?: SuggestedAction;
  source?: InsightRow["source"];
  since?: Date;
  until?: Date;
}

export interface InsightCursor {
  createdAt: Date;
  id: string;
}

/** One page of insights, newest first, and the next page's cursor (null on the last). */
export async function listInsights(db: Db, filter: InsightFilter, limit: number, cursor: InsightCursor | null): Promise<{ insights: InsightRow[]; next: InsightCursor | null }> {
  const where: (SQL | undefined)[] = [
    filter.queue === undefined ? undefined : eq(insights.queue, filter.queue),
    ownQueue(sql`${insights.queue}`, filter.tenant),
    filter.jobType === undefined ? undefined : eq(insights.jobType, filter.jobType),
    filter.category === undefined ? undefined : eq(insights.failureCategory, filter.category),
    filter.action === undefined ? undefined : eq(insights.suggestedAction, filter.action),
    filter.source === undefined ? undefined : eq(insights.source, filter.source),
    filter.since === undefined ? undefined : gte(insights.createdAt, filter.since),
    filter.until === undefined ? undefined : lt(insights.createdAt, filter.until),
    filter.jobId === undefined ? undefined : sql`exists (select 1 from ${insightJobs} where ${insightJobs.insightId} = ${insights.id} and ${insightJobs.jobId} = ${filter.jobId})`,
    cursor ? or(lt(insights.createdAt, cursor.createdAt), and(eq(insights.createdAt, cursor.createdAt), lt(insights.id, cursor.id))) : undefined,
  ];
  const rows = await db
    .select()
    .from(insights)
    .where(and(...where))
    .orderBy(desc(insights.createdAt), desc(insights.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { insights: page, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
