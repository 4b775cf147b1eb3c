import { asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { sees, type TenantId } from "../../core/tenancy";
import { jobAttempts, jobs, type JobAttemptRow, type JobRow } from "../schema";

/** A job and its attempt history (oldest first), or null (also when it is not the viewer tenant's). */
export async function getJob(db: Db, id: string, viewer: TenantId): Promise<{ job: JobRow; attempts: JobAttemptRow[] } | null> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!job || !sees(viewer, job.tenantId)) return null;
  const attempts = await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, id)).orderBy(asc(jobAttempts.attempt));
  return { job, attempts };
}
