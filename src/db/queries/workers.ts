import { and, desc, eq, getTableColumns, gt, lt, sql } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";
import type { Db } from "../client";
import { workers, type WorkerRow } from "../schema";

export type WorkerInfo = Pick<WorkerRow, "id" | "tenantId" | "name" | "queues" | "host" | "startedAt" | "currentJobs">;

/** Worker ids are chosen by workers: one held by another tenant is never updated (the upsert returns nothing). */
const sameTenant = (tenant: TenantId) => sql`${workers.tenantId} is not distinct from ${tenant}`;

/** The row and whether the upsert inserted it (Postgres sets xmax only on a row it updated). */
const withJoined = { ...getTableColumns(workers), joined: sql<boolean>`(xmax = 0)` };

function split({ joined, ...worker }: WorkerRow & { joined: boolean }): { worker: WorkerRow; joined: boolean } {
  return { worker, joined };
}

/** Records that a worker is alive (and what it says of itself); `joined` is true for a worker not known before; null when the id is another tenant's. */
export async function upsertWorker(db: Db, info: WorkerInfo, now: Date): Promise<{ worker: WorkerRow; joined: boolean } | null> {
  const [row] = await db
    .insert(workers)
    .values({ ...info, lastSeenAt: now })
    .onConflictDoUpdate({
      target: workers.id,
      set: { name: info.name, queues: info.queues, host: info.host, currentJobs: info.currentJobs, lastSeenAt: now },
      setWhere: sameTenant(info.tenantId),
    })
    .returning(withJoined);
  return row ? split(row) : null;
}

/** A worker leased from `queue`: it is alive, and that queue is one of its own. Registers it if it never said who it is. */
export async function touchWorker(db: Db, id: string, queue: string, now: Date, tenant: TenantId): Promise<{ worker: WorkerRow; joined: boolean } | null> {
  const [row] = await db
    .insert(workers)
    .values({ id, tenantId: tenant, name: id, queues: [queue], startedAt: now, lastSeenAt: now })
    .onConflictDoUpdate({
      target: workers.id,
      set: { lastSeenAt: now, queues: sql`case when ${queue} = any(${workers.queues}) then ${workers.queues} else array_append(${workers.queues}, ${queue}) end` },
      setWhere: sameTenant(tenant),
    })
    .returning(withJoined);
  return row ? split(row) : null;
}

/** Counts a pull worker's outcome against the worker that ran the attempt. */
export async function countWorkerOutcome(db: Db, jobId: string, attempt: number, completed: boolean): Promise<void> {
  await db.execute(sql`
    update workers set processed = processed + ${completed ? 1 : 0}, failed = failed + ${completed ? 0 : 1}
     where id = (select runner from job_attempts where job_id = ${jobId} and attempt = ${attempt})`);
}

/** Workers heard from since `since`, most recent first. */
export async function liveWorkers(db: Db, since: Date, viewer: TenantId): Promise<WorkerRow[]> {
  return db
    .select()
    .from(workers)
    .where(and(gt(workers.lastSeenAt, since), viewer === null ? undefined : eq(workers.tenantId, viewer)))
    .orderBy(desc(workers.lastSeenAt));
}

export async function deleteWorker(db: Db, id: string, viewer: TenantId): Promise<WorkerRow | null> {
  const [row] = await db
    .delete(workers)
    .where(and(eq(workers.id, id), viewer === null ? undefined : eq(workers.tenantId, viewer)))
    .returning();
  return row ?? null;
}

/** Forgets workers silent since before `cutoff`; returns them. */
export async function forgetSilentWorkers(db: Db, cutoff: Date): Promise<WorkerRow[]> {
  return db.delete(workers).where(lt(workers.lastSeenAt, cutoff)).returning();
}
