import { eq, sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { queues, type QueueRow } from "../schema";

export type QueueSettings = Partial<Pick<QueueRow, "concurrency" | "maxAttempts" | "backoff" | "timeoutMs" | "visibilityTimeoutMs" | "paused">>;

export async function getQueue(db: Db, name: string): Promise<QueueRow | null> {
  const [row] = await db.select().from(queues).where(eq(queues.name, name));
  return row ?? null;
}

/** Creates the queue or changes its settings, bumping `version` so the scheduler takes the newest. */
export async function upsertQueue(db: Db, name: string, settings: QueueSettings, now: Date): Promise<QueueRow> {
  const [row] = await db
    .insert(queues)
    .values({ name, ...settings, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: queues.name, set: { ...settings, version: sql`${queues.version} + 1`, updatedAt: now } })
    .returning();
  if (!row) throw new Error(`upsert of queue ${name} returned nothing`);
  return row;
}

export async function listQueues(db: Db): Promise<QueueRow[]> {
  return db.select().from(queues).orderBy(queues.name);
}

/** Job counts by queue and state, one statement for every queue (or just `only`). */
export async function countJobsByQueue(db: Db, only?: string): Promise<Map<string, Partial<Record<JobState, number>>>> {
  const where = only === undefined ? sql`` : sql`where queue = ${only}`;
  const result = await db.execute(sql`select queue, state, count(*)::int as n from jobs ${where} group by queue, state`);
  const counts = new Map<string, Partial<Record<JobState, number>>>();
  for (const r of result.rows as { queue: string; state: JobState; n: number }[]) {
    const entry = counts.get(r.queue) ?? {};
    entry[r.state] = r.n;
    counts.set(r.queue, entry);
  }
  return counts;
}
