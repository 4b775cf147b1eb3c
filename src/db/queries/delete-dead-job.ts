import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { jobs } from "../schema";

/** Deletes one dead-lettered job and its attempts; false when no dead job has that id. */
export async function deleteDeadJob(db: Db, id: string): Promise<boolean> {
  const deleted = await db.delete(jobs).where(and(eq(jobs.id, id), eq(jobs.state, "dead"))).returning({ id: jobs.id });
  return deleted.length > 0;
}
