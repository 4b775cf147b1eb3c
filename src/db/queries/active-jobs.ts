import { and, asc, count, eq, gt, inArray, lt } from "drizzle-orm";
import { ACTIVE_STATES } from "../../core/states";
import type { Db } from "../client";
import { jobs } from "../schema";

/** The scheduler's view of one job: enough to order it, time it and lease it. */
export interface ActiveJob {
  id: string;
  state: (typeof ACTIVE_STATES)[number];
  priority: number;
  runAt: Date;
  timeoutMs: number;
  leaseSeq: number | null;
  leaseExpiresAt: Date | null;
  rateLimitKey: string | null;
  concurrencyKey: string | null;
  concurrencyLimit: number | null;
}

/** A page of a queue's active jobs (scheduled, queued, running) by id, for rebuilding its scheduler. */
export async function activeJobsPage(db: Db, queue: string, afterId: string | null, limit: number): Promise<ActiveJob[]> {
  const rows = await db
    .select({
      id: jobs.id,
      state: jobs.state,
      priority: jobs.priority,
      runAt: jobs.runAt,
      timeoutMs: jobs.timeoutMs,
      leaseSeq: jobs.leaseSeq,
      leaseExpiresAt: jobs.leaseExpiresAt,
      rateLimitKey: jobs.rateLimitKey,
      concurrencyKey: jobs.concurrencyKey,
      concurrencyLimit: jobs.concurrencyLimit,
    })
    .from(jobs)
    .where(and(eq(jobs.queue, queue), inArray(jobs.state, [...ACTIVE_STATES]), afterId ? gt(jobs.id, afterId) : undefined))
    .orderBy(asc(jobs.id))
    .limit(limit);
  return rows as ActiveJob[];
}

/** Ids among `ids` whose job is no longer active (final, cancelled, or gone). */
export async function inactiveIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const active = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(inArray(jobs.id, ids), inArray(jobs.state, [...ACTIVE_STATES])));
  const activeSet = new Set(active.map((r) => r.id));
  return ids.filter((id) => !activeSet.has(id));
}

/** Active jobs per queue that fell due before `cutoff`; recent ones may still be on their way. */
export async function countActiveDueBefore(db: Db, cutoff: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ queue: jobs.queue, n: count() })
    .from(jobs)
    .where(and(inArray(jobs.state, [...ACTIVE_STATES]), lt(jobs.runAt, cutoff)))
    .groupBy(jobs.queue);
  return new Map(rows.map((r) => [r.queue, r.n]));
}
