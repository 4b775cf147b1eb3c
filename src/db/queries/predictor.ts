import { desc, lt, sql } from "drizzle-orm";
import type { AttemptFeatures, SuccessModel } from "../../insights/predictor";
import type { Db } from "../client";
import { predictorModels } from "../schema";

/** The predictor learns from attempts this recent, at most this many of the newest. */
export const TRAINING_WINDOW_MS = 24 * 3_600_000;
export const MAX_TRAINING_SAMPLES = 5000;

/**
 * Finished attempts as training samples, with the backlog each met: a running sum per queue over
 * job creations (+1) and first starts (−1), read at each attempt's start; one statement.
 */
export async function trainingSamples(db: Db, now: Date): Promise<{ features: AttemptFeatures; success: boolean }[]> {
  const since = new Date(now.getTime() - TRAINING_WINDOW_MS).toISOString();
  const result = await db.execute(sql`
    with j as (
      select id, queue, type, octet_length(payload::text) as bytes from jobs where created_at > ${since}::timestamptz
    ), ev as (
      select j.queue, jobs.created_at as t, 1 as d, null::bigint as attempt_id from j join jobs on jobs.id = j.id
      union all
      select j.queue, a.started_at, -1, null from job_attempts a join j on j.id = a.job_id where a.attempt = 1
      union all
      select j.queue, a.started_at, 0, a.id from job_attempts a join j on j.id = a.job_id where a.outcome in ('completed', 'failed', 'timeout')
    ), run as (
      select attempt_id, greatest(0, sum(d) over (partition by queue order by t, d desc rows between unbounded preceding and current row))::int as backlog
        from ev
    )
    select j.type, j.queue, j.bytes, r.backlog, a.attempt, a.outcome = 'completed' as success
      from run r join job_attempts a on a.id = r.attempt_id join j on j.id = a.job_id
     where r.attempt_id is not null
     order by a.started_at desc
     limit ${MAX_TRAINING_SAMPLES}`);
  return result.rows.map((r) => ({
    features: { type: r.type as string, queue: r.queue as string, payloadBytes: Number(r.bytes), backlog: Number(r.backlog), attempt: Number(r.attempt) },
    success: r.success as boolean,
  }));
}

/** Stores a fitted model and drops all but the newest few. */
export async function saveModel(db: Db, model: SuccessModel, now: Date): Promise<void> {
  const [saved] = await db.insert(predictorModels).values({ trainedAt: now, samples: model.samples, model }).returning({ id: predictorModels.id });
  await db.delete(predictorModels).where(lt(predictorModels.id, saved!.id - 4));
}

export async function latestModel(db: Db): Promise<{ trainedAt: Date; model: SuccessModel } | null> {
  const [row] = await db.select().from(predictorModels).orderBy(desc(predictorModels.id)).limit(1);
  return row ? { trainedAt: row.trainedAt, model: row.model } : null;
}
