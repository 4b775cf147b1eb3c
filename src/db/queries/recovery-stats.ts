import { sql } from "drizzle-orm";
import type { FailureCategory } from "../../insights/verdict";
import type { RecoveryStat } from "../../insights/retry-policy";
import type { Db } from "../client";

/** The attempt history the smart policy learns from reaches back this far. */
export const RECOVERY_HISTORY_MS = 7 * 24 * 3_600_000;

export interface FailureClass {
  queue: string;
  type: string;
  category: FailureCategory;
}

/** `queue|type|category`, the key of `recoveryStats`' answer. */
export const classKey = (c: FailureClass) => `${c.queue}|${c.type}|${c.category}`;

/**
 * For the failure classes of queues whose retry policy is `smart` (others are left out), how the
 * jobs of that type that failed that way ended, in one statement: recovered (completed) or not
 * (dead after at least one more attempt; a job dead-lettered at once proves nothing).
 */
export async function recoveryStats(db: Db, classes: FailureClass[], now: Date): Promise<Map<string, RecoveryStat>> {
  if (classes.length === 0) return new Map();
  const since = new Date(now.getTime() - RECOVERY_HISTORY_MS).toISOString();
  const result = await db.execute(sql`
    with f as (
      select distinct * from jsonb_to_recordset(${JSON.stringify(classes)}::jsonb) as f(queue text, type text, category text)
    )
    select f.queue, f.type, f.category,
           count(distinct j.id) filter (where j.state = 'completed')::int as recovered,
           count(distinct j.id) filter (where j.state = 'completed' or (j.state = 'dead' and j.attempt > l.attempt))::int as samples
      from f
      join queues q on q.name = f.queue and q.retry_policy = 'smart'
      left join insight_jobs l on l.job_type = f.type and l.category = f.category and l.created_at > ${since}::timestamptz
      left join jobs j on j.id = l.job_id
     group by f.queue, f.type, f.category`);
  return new Map(result.rows.map((r) => [classKey(r as unknown as FailureClass), { samples: Number(r.samples), recovered: Number(r.recovered) }]));
}
