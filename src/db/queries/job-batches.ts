import { eq, sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";
import { sees, type TenantId } from "../../core/tenancy";
import { jobBatches, type JobBatchRow } from "../schema";

/** A batch row before its jobs: `total` is set once they are in (jobs that already existed are not its). */
export async function insertBatch(db: Db, batch: Pick<JobBatchRow, "id" | "name" | "callbackUrl" | "tenantId">, now: Date): Promise<void> {
  await db.insert(jobBatches).values({ ...batch, total: 0, createdAt: now });
}

export async function setBatchTotal(db: Db, id: string, total: number): Promise<JobBatchRow> {
  const [row] = await db.update(jobBatches).set({ total }).where(eq(jobBatches.id, id)).returning();
  if (!row) throw new Error(`batch ${id} vanished inside its own transaction`);
  return row;
}

/** A batch and its jobs counted by state, or null (also when it is not the viewer tenant's). */
export async function getBatch(db: Db, id: string, viewer: TenantId): Promise<{ batch: JobBatchRow; counts: Partial<Record<JobState, number>> } | null> {
  const [batch] = await db.select().from(jobBatches).where(eq(jobBatches.id, id));
  if (!batch || !sees(viewer, batch.tenantId)) return null;
  const rows = await db.execute(sql`select state, count(*)::int as n from jobs where batch_id = ${id} group by state`);
  return { batch, counts: Object.fromEntries((rows.rows as { state: JobState; n: number }[]).map((r) => [r.state, r.n])) };
}
