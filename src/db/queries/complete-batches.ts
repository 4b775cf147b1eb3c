import { sql, type SQL } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { jobBatches, type JobBatchRow } from "../schema";

export interface CompletedBatch {
  batch: JobBatchRow;
  counts: Partial<Record<JobState, number>>;
  queues: string[];
}

const toBatch = rowMapper(jobBatches);

/**
 * Marks batches completed whose jobs are all final: `ids` (batches a write just touched) or, for
 * the sweep, any open batch. One conditional update: of two writers that see the last jobs final
 * at once, only the one whose update takes the row gets it back, so a batch completes once.
 */
export async function completeBatches(db: Db, target: { ids: string[] } | { any: number }, now: Date): Promise<CompletedBatch[]> {
  if ("ids" in target && target.ids.length === 0) return [];
  const unfinished = (batch: SQL) => sql`exists (select 1 from jobs j where j.batch_id = ${batch} and j.state in ('waiting', 'scheduled', 'queued', 'running'))`;
  const open: SQL =
    "ids" in target
      ? sql`b.id in ${target.ids}`
      : sql`b.id in (select o.id from job_batches o where o.completed_at is null and not ${unfinished(sql`o.id`)} limit ${target.any})`;
  const result = await db.execute(sql`
    with done as (
      update job_batches b set completed_at = ${now.toISOString()}::timestamptz
       where ${open} and b.completed_at is null and not ${unfinished(sql`b.id`)}
      returning b.*
    )
    select row_to_json(done) as batch,
           (select coalesce(json_object_agg(s.state, s.n), '{}'::json) from (select state, count(*)::int as n from jobs where batch_id = done.id group by state) s) as counts,
           (select coalesce(json_agg(distinct queue), '[]'::json) from jobs where batch_id = done.id) as queues
      from done`);
  return (result.rows as { batch: Record<string, unknown>; counts: CompletedBatch["counts"]; queues: string[] }[]).map((r) => ({
    batch: toBatch(r.batch),
    counts: r.counts,
    queues: r.queues,
  }));
}
