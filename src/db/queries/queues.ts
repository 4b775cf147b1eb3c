import { eq, sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { ownerOfNewQueue, type TenantId } from "../../core/tenancy";
import { queues, type QueueRow } from "../schema";

export type QueueSettings = Partial<Pick<QueueRow, "concurrency" | "maxAttempts" | "backoff" | "timeoutMs" | "visibilityTimeoutMs" | "paused" | "retryPolicy" | "rateLimit" | "mode">>;

export async function getQueue(db: Db, name: string): Promise<QueueRow | null> {
  const [row] = await db.select().from(queues).where(eq(queues.name, name));
  return row ?? null;
}

/** Creates the queue or changes its settings, bumping `version` so the scheduler takes the newest. */
export async function upsertQueue(db: Db, name: string, settings: QueueSettings, now: Date, tenant: TenantId): Promise<QueueRow> {
  const [row] = await db
    .insert(queues)
    .values({ name, tenantId: ownerOfNewQueue(name, tenant), ...settings, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: queues.name, set: { ...settings, version: sql`${queues.version} + 1`, updatedAt: now } })
    .returning();
  if (!row) throw new Error(`upsert of queue ${name} returned nothing`);
  return row;
}

/** Every queue, or a tenant's own. */
export async function listQueues(db: Db, tenant: TenantId = null): Promise<QueueRow[]> {
  return db
    .select()
    .from(queues)
    .where(tenant === null ? undefined : eq(queues.tenantId, tenant))
    .orderBy(queues.name);
}

/**
 * Job counts by queue and state for every queue (or just `only`): unfinished, dead and cancelled jobs
 * from a partial index that leaves completed jobs out, completions summed from the daily rollups, so
 * it stays fast however many jobs have completed.
 */
export async function countJobsByQueue(db: Db, only?: string): Promise<Map<string, Partial<Record<JobState, number>>>> {
  const onlyJobs = only === undefined ? sql`` : sql`and queue = ${only}`;
  const result = await db.execute(sql`
    select queue, state, count(*)::int as n from jobs where state <> 'completed' ${onlyJobs} group by queue, state
    union all
    select queue, 'completed', sum(completed)::int from job_rollups where granularity = 'day' ${onlyJobs} group by queue`);
  const counts = new Map<string, Partial<Record<JobState, number>>>();
  for (const r of result.rows as { queue: string; state: JobState; n: number }[]) {
    if (r.n === 0) continue;
    const entry = counts.get(r.queue) ?? {};
    entry[r.state] = r.n;
    counts.set(r.queue, entry);
  }
  return counts;
}
