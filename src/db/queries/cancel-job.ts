import { and, eq, inArray } from "drizzle-orm";
import { CANCELLABLE_STATES } from "../../core/states";
import type { Db } from "../client";
import { jobs, type JobRow } from "../schema";

/**
 * Cancels a job that has not started. Returns the cancelled row, or the unchanged row when its
 * state forbids cancelling (running or final), or null when there is no such job.
 */
export async function cancelJob(db: Db, id: string, now: Date): Promise<{ job: JobRow; cancelled: boolean } | null> {
  const [cancelled] = await db
    .update(jobs)
    .set({ state: "cancelled", finishedAt: now, updatedAt: now })
    .where(and(eq(jobs.id, id), inArray(jobs.state, [...CANCELLABLE_STATES])))
    .returning();
  if (cancelled) return { job: cancelled, cancelled: true };
  const [current] = await db.select().from(jobs).where(eq(jobs.id, id));
  return current ? { job: current, cancelled: false } : null;
}
