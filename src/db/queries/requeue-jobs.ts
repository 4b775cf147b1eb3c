import { and, inArray, sql, type SQL } from "drizzle-orm";
import { RETRYABLE_STATES } from "../../core/states";
import type { Db } from "../client";
import { jobs, type JobRow } from "../schema";
import { jobFilterWhere, type JobFilter } from "./job-filters";

export type RequeueTarget = { ids: string[] } | { filter: JobFilter; limit: number };

/**
 * Puts dead or cancelled jobs back to `queued` in one statement, with a fresh attempt budget
 * (counted from the attempts already made, so attempt numbers stay unique in the history).
 */
export async function requeueJobs(db: Db, target: RequeueTarget, now: Date): Promise<JobRow[]> {
  const retryable = inArray(jobs.state, [...RETRYABLE_STATES]);
  let where: SQL | undefined;
  if ("ids" in target) {
    if (target.ids.length === 0) return [];
    where = and(inArray(jobs.id, target.ids), retryable);
  } else {
    // Bulk by filter: bound the statement, oldest first, so repeated calls drain the rest.
    const picked = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(jobFilterWhere(target.filter), retryable))
      .orderBy(jobs.createdAt)
      .limit(target.limit);
    where = and(inArray(jobs.id, picked), retryable);
  }
  return db
    .update(jobs)
    .set({
      state: "queued",
      attemptBase: sql`${jobs.attempt}`,
      runAt: now,
      finishedAt: null,
      result: null,
      lastBackoffMs: null,
      updatedAt: now,
    })
    .where(where)
    .returning();
}
