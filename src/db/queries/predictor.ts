import { desc, lt, sql } from "drizzle-orm";
import type { AttemptFeatures, SuccessModel } from "../../insights/predictor";
import type { Db } from "../client";
import { predictorModels } from "../schema";

/** The predictor learns from attempts this recent, at most this many of the newest. */
export const TRAINING_WINDOW_MS = 24 * 3_600_000;
export const MAX_TRAINING_SAMPLES = 5000;
/**
 * The newest jobs the backlog is reconstructed from. A busy day holds millions; reading them all made
 * a fit take most of a cron tick, and 20,000 cover the newest 5,000 attempts many times over.
 */
export const MAX_TRAINING_JOBS = 20_000;

/**
 * Finished attempts as training samples, with the backlog each met: a running sum per queue over
 * job creations (+1) and first starts (−1), read at each attempt's start; one statement. Only the
 * newest `maxJobs` jobs of the window are read (through the created_at index), so jobs created
 * before them do not count towards the backlog the oldest samples met.
 */
export async function trainingSamples(db: Db, now: Date, maxJobs = MAX_TRAINING_JOBS): Promise<{ features: AttemptFeatures; success: boolean }[]> {
  const since = new Date(now.getTime() - TRAINING_WINDOW_MS).toISOString();
  const until = now.toISOString();
  const result = await db.execute(sql`
    with bound as (
      select coalesce((
        select created_at from jobs where created_at > ${since}::timestamptz and created_at <= ${until}::timestamptz
         order by created_at desc, id desc offset ${maxJobs - 1} limit 1
      ), ${since}::timestamptz) as since
    ), j as (
      select id, queue, type, octet_length(payload::text) as bytes from jobs
       where created_at >= (select since from bound) and created_at > ${since}::timestamptz and created_at <= ${until}::timestamptz
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
