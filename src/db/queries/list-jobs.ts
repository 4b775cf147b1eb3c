import { and, desc } from "drizzle-orm";
import type { Db } from "../client";
import { jobs, type JobRow } from "../schema";
import { afterCursor, jobFilterWhere, type JobFilter } from "./job-filters";

export interface JobCursor {
  createdAt: Date;
  id: string;
}

/** One page of jobs, newest first, and the cursor of the next page (null on the last). */
export async function listJobs(db: Db, filter: JobFilter, limit: number, cursor: JobCursor | null): Promise<{ jobs: JobRow[]; next: JobCursor | null }> {
  const rows = await db
    .select()
    .from(jobs)
    .where(and(jobFilterWhere(filter), cursor ? afterCursor(cursor) : undefined))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { jobs: page, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
