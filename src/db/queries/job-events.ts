import { sql, type SQL } from "drizzle-orm";
import type { JobEventKind } from "../../core/job-events";
import type { Db } from "../client";
import type { TenantId } from "../../core/tenancy";
import { rowMapper } from "../map-row";
import { jobEvents, type JobEventRow } from "../schema";

/**
 * A CTE named `name` appending audit rows for the transition its statement makes; `rows` selects
 * (job_id, queue, type, at, kind, attempt, actor, data) in that order. Part of the transition's own
 * statement, so a transition and its record commit together or not at all.
 */
export const appendEvents = (name: string, rows: SQL): SQL => sql`, ${sql.raw(name)} as (
      insert into job_events (job_id, queue, type, at, kind, attempt, actor, data)
      ${rows}
    )`;

const toEvent = rowMapper(jobEvents);

/** One job's trail, oldest first. */
export async function jobEventsOf(db: Db, jobId: string, limit: number): Promise<JobEventRow[]> {
  const result = await db.execute(sql`select * from job_events where job_id = ${jobId} order by id limit ${limit}`);
  return result.rows.map(toEvent);
}

export interface EventLogFilter {
  /** The viewer's tenant: only its jobs' events. */
  tenant: TenantId;
  queue?: string;
  type?: string;
  kinds?: JobEventKind[];
  actor?: string;
  since?: Date;
  until?: Date;
}

/** The log across jobs, newest first, after the (at, id) cursor when given. */
export async function eventLog(db: Db, f: EventLogFilter, limit: number, cursor: { at: Date; id: number } | null): Promise<JobEventRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.tenant !== null) where.push(sql`job_id in (select id from jobs where tenant_id = ${f.tenant})`);
  if (f.queue) where.push(sql`queue = ${f.queue}`);
  if (f.type) where.push(sql`type = ${f.type}`);
  if (f.kinds?.length) where.push(sql`kind in ${f.kinds}`);
  if (f.actor) where.push(sql`actor = ${f.actor}`);
  if (f.since) where.push(sql`at >= ${f.since.toISOString()}::timestamptz`);
  if (f.until) where.push(sql`at < ${f.until.toISOString()}::timestamptz`);
  if (cursor) where.push(sql`(at, id) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id})`);
  const result = await db.execute(sql`select * from job_events where ${sql.join(where, sql` and `)} order by at desc, id desc limit ${limit}`);
  return result.rows.map(toEvent);
}
