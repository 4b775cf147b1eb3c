import { withDb } from "../db/client";
import { pruneFinishedJobs } from "../db/queries/prune-jobs";
import type { Env } from "../env";

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** Rows per delete statement: small enough to keep each transaction short. */
  chunk: number;
  /** Statements per state per tick, so one tick stays within a Worker's time. */
  maxChunks: number;
}

const DEFAULTS: RetentionOptions = { chunk: 5000, maxChunks: 20 };

/** How long finished jobs are kept, from the environment (days); dead jobs stay longer, for the DLQ. */
export function retentionDays(env: Env): { completed: number; cancelled: number; dead: number } {
  const days = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  const finished = days(env.EDGEQ_RETENTION_DAYS, 14);
  return { completed: finished, cancelled: finished, dead: days(env.EDGEQ_DEAD_RETENTION_DAYS, 90) };
}

/** Prunes finished jobs past their retention in bounded chunks; the rollups keep their history. */
export async function runOnce(env: Env, now: number, options: RetentionOptions = DEFAULTS): Promise<Record<string, number>> {
  const keep = retentionDays(env);
  return withDb(env, async (db) => {
    const deleted: Record<string, number> = {};
    for (const state of ["completed", "cancelled", "dead"] as const) {
      const cutoff = new Date(now - keep[state] * DAY_MS);
      deleted[state] = 0;
      for (let i = 0; i < options.maxChunks; i++) {
        const n = await pruneFinishedJobs(db, state, cutoff, options.chunk);
        deleted[state] += n;
        if (n < options.chunk) break;
      }
    }
    return deleted;
  });
}
