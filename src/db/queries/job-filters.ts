import { and, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { JobState } from "../../core/states";
import { jobs } from "../schema";
import type { TenantId } from "../../core/tenancy";

/** Filters shared by job listings, the dead-letter queue and bulk actions. */
export interface JobFilter {
  /** The viewer's tenant: only its jobs (null: every tenant's). */
  tenant: TenantId;
  queue?: string;
  states?: JobState[];
  type?: string;
  tag?: string;
  /** Created at or after. */
  since?: Date;
  /** Created before. */
  until?: Date;
  /** Case-insensitive text in the last error's message. */
  errorContains?: string;
}

/** The WHERE clause for a filter (undefined when it filters nothing). */
export function jobFilterWhere(f: JobFilter): SQL | undefined {
  return and(
    f.tenant === null ? undefined : eq(jobs.tenantId, f.tenant),
    f.queue === undefined ? undefined : eq(jobs.queue, f.queue),
    f.states === undefined || f.states.length === 0 ? undefined : inArray(jobs.state, f.states),
    f.type === undefined ? undefined : eq(jobs.type, f.type),
    f.tag === undefined ? undefined : sql`${f.tag} = any(${jobs.tags})`,
    f.since === undefined ? undefined : gte(jobs.createdAt, f.since),
    f.until === undefined ? undefined : lt(jobs.createdAt, f.until),
    f.errorContains === undefined ? undefined : sql`${jobs.lastError}->>'message' ilike ${`%${f.errorContains.replace(/[\\%_]/g, "\\$&")}%`}`,
  );
}

/** Keyset condition for newest-first pages: rows strictly after the cursor (created_at, id). */
export function afterCursor(cursor: { createdAt: Date; id: string }): SQL | undefined {
  return or(lt(jobs.createdAt, cursor.createdAt), and(eq(jobs.createdAt, cursor.createdAt), lt(jobs.id, cursor.id)));
}
