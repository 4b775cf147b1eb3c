import { and, eq, sql } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { jobs, schedules, type ScheduleRow } from "../schema";

export type NewSchedule = Omit<typeof schedules.$inferInsert, "id" | "claimToken" | "claimedUntil" | "lastRunAt" | "lastJobId">;
export type ScheduleChanges = Partial<NewSchedule>;

/** A schedule with the state of the last job it made (null when none, or that job is gone). */
export interface ScheduleView {
  schedule: ScheduleRow;
  lastJobState: JobState | null;
}

/** Postgres' unique_violation: a duplicate schedule name. */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error || (typeof e === "object" && e !== null); e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** Inserts a schedule; null when the name is taken (names are unique per tenant; the id is new, so only the name can conflict). */
export async function insertSchedule(db: Db, input: NewSchedule): Promise<ScheduleRow | null> {
  const [row] = await db.insert(schedules).values(input).onConflictDoNothing().returning();
  return row ?? null;
}

const selectView = (db: Db) =>
  db.select({ schedule: schedules, lastJobState: jobs.state }).from(schedules).leftJoin(jobs, eq(jobs.id, schedules.lastJobId));

/** Only the viewer tenant's schedules (a platform viewer: all). */
const visible = (viewer: TenantId) => (viewer === null ? undefined : eq(schedules.tenantId, viewer));

export async function getSchedule(db: Db, id: string, viewer: TenantId): Promise<ScheduleView | null> {
  const [row] = await selectView(db).where(and(eq(schedules.id, id), visible(viewer)));
  return row ?? null;
}

export async function listSchedules(db: Db, viewer: TenantId): Promise<ScheduleView[]> {
  return selectView(db).where(visible(viewer)).orderBy(schedules.name);
}

/**
 * Changes a schedule and drops any claim on it, so a tick working on the old version cannot write
 * its next fire over the new one. Returns null when there is no such schedule, "name_taken" when
 * a rename collides.
 */
export async function updateSchedule(db: Db, id: string, changes: ScheduleChanges, now: Date): Promise<ScheduleRow | null | "name_taken"> {
  try {
    const [row] = await db
      .update(schedules)
      .set({ ...changes, claimToken: null, claimedUntil: null, updatedAt: now })
      .where(eq(schedules.id, id))
      .returning();
    return row ?? null;
  } catch (error) {
    if (isUniqueViolation(error)) return "name_taken";
    throw error;
  }
}

export async function deleteSchedule(db: Db, id: string, viewer: TenantId): Promise<boolean> {
  const rows = await db.delete(schedules).where(and(eq(schedules.id, id), visible(viewer))).returning({ id: schedules.id });
  return rows.length > 0;
}

/** Records a run made outside a tick (trigger now) as the schedule's last. */
export async function recordManualRun(db: Db, id: string, jobId: string, at: Date): Promise<void> {
  await db
    .update(schedules)
    .set({ lastJobId: jobId, lastRunAt: sql`greatest(${schedules.lastRunAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(schedules.id, id));
}
