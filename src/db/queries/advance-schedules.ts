import { sql } from "drizzle-orm";
import type { Db } from "../client";

export interface Advance {
  id: string;
  nextRunAt: Date | null;
  /** The latest fire enqueued by this tick, and its job; null keeps the previous ones. */
  lastRunAt: Date | null;
  lastJobId: string | null;
}

/**
 * Moves each claimed schedule to its next fire and releases the claim, in one statement for the
 * tick. Only claims still carrying the tick's token move: an edit since the claim wins.
 */
export async function advanceSchedules(db: Db, token: string, advances: Advance[]): Promise<number> {
  if (advances.length === 0) return 0;
  const rows = advances.map((a) => ({
    id: a.id,
    next_run_at: a.nextRunAt?.toISOString() ?? null,
    last_run_at: a.lastRunAt?.toISOString() ?? null,
    last_job_id: a.lastJobId,
  }));
  const result = await db.execute(sql`
    update schedules s
    set next_run_at = i.next_run_at,
        last_run_at = coalesce(i.last_run_at, s.last_run_at),
        last_job_id = coalesce(i.last_job_id, s.last_job_id),
        claim_token = null, claimed_until = null
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as i(id uuid, next_run_at timestamptz, last_run_at timestamptz, last_job_id uuid)
    where s.id = i.id and s.claim_token = ${token}`);
  return result.rowCount ?? 0;
}
