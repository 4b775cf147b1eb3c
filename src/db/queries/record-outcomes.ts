import { sql } from "drizzle-orm";
import type { AttemptOutcome } from "../../core/states";
import type { Db } from "../client";
import type { JobErrorRecord } from "../schema";

/** The end of one attempt, as the consumer decided it. */
export interface AttemptResult {
  id: string;
  lease: number;
  attempt: number;
  /** The job's next state: done, back to wait for a retry, or dead-lettered. */
  state: "completed" | "scheduled" | "dead";
  outcome: AttemptOutcome;
  result?: unknown;
  error?: JobErrorRecord | null;
  /** When the retry is due (state `scheduled`). */
  runAt?: Date | null;
  backoffMs?: number | null;
  durationMs: number;
}

/**
 * Writes a batch of attempt outcomes in one statement: each job moves only if it is still running
 * under the same lease, so a late or duplicate runner never overwrites a newer outcome; the attempt
 * row is closed alongside. Returns the ids whose outcome took effect.
 */
export async function recordOutcomes(db: Db, results: AttemptResult[], now: Date): Promise<Set<string>> {
  if (results.length === 0) return new Set();
  const nowIso = now.toISOString();
  const rows = results.map((r) => ({
    id: r.id,
    lease: r.lease,
    attempt: r.attempt,
    state: r.state,
    outcome: r.outcome,
    result: r.state === "completed" ? (r.result ?? null) : null,
    error: r.error ?? null,
    run_at: r.runAt?.toISOString() ?? null,
    backoff_ms: r.backoffMs ?? null,
    duration_ms: Math.round(r.durationMs),
  }));
  const result = await db.execute(sql`
    with o as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as o(
        id uuid, lease bigint, attempt int, state text, outcome text, result jsonb, error jsonb,
        run_at timestamptz, backoff_ms int, duration_ms int)
    ), moved as (
      update jobs j
         set state = o.state,
             result = case when o.state = 'completed' then o.result else j.result end,
             last_error = coalesce(o.error, j.last_error),
             run_at = coalesce(o.run_at, j.run_at),
             last_backoff_ms = coalesce(o.backoff_ms, j.last_backoff_ms),
             finished_at = case when o.state in ('completed', 'dead') then ${nowIso}::timestamptz end,
             lease_expires_at = null,
             updated_at = ${nowIso}::timestamptz
        from o
       where j.id = o.id and j.state = 'running' and j.lease_seq = o.lease
      returning j.id
    ), closed as (
      update job_attempts a
         set finished_at = ${nowIso}::timestamptz, outcome = o.outcome, error = o.error, duration_ms = o.duration_ms
        from o join moved on moved.id = o.id
       where a.job_id = o.id and a.attempt = o.attempt
    )
    select id from moved`);
  return new Set(result.rows.map((r) => r.id as string));
}
