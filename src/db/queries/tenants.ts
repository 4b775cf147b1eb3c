import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import type { TenantQuotas } from "../../api/schemas/tenants";
import { tenants, type TenantRow } from "../schema";

/** A tenant with what it uses now, against its quotas. */
export type TenantWithUsage = TenantRow & { queueCount: number; submittedToday: number };

/** Inserts a tenant; null when the id is taken. */
export async function createTenant(db: Db, tenant: { id: string; name: string; quotas: TenantQuotas }, now: Date): Promise<TenantRow | null> {
  const [row] = await db.insert(tenants).values({ ...tenant, createdAt: now, updatedAt: now }).onConflictDoNothing().returning();
  return row ?? null;
}

export async function findTenant(db: Db, id: string): Promise<TenantRow | null> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  return row ?? null;
}

export async function updateTenant(db: Db, id: string, change: { name?: string; quotas?: TenantQuotas }, now: Date): Promise<TenantRow | null> {
  const [row] = await db.update(tenants).set({ ...change, updatedAt: now }).where(eq(tenants.id, id)).returning();
  return row ?? null;
}

/** Tenants (one, or all) with their queue count and today's submissions (UTC day of `now`). */
export async function tenantsWithUsage(db: Db, now: Date, id?: string): Promise<TenantWithUsage[]> {
  const day = now.toISOString().slice(0, 10);
  const rows = await db
    .select({
      tenant: tenants,
      queueCount: sql<number>`(select count(*) from queues q where q.tenant_id = ${tenants.id})::int`,
      submittedToday: sql<number>`coalesce((select u.submitted from tenant_usage u where u.tenant_id = ${tenants.id} and u.day = ${day}::date), 0)::bigint`,
    })
    .from(tenants)
    .where(id === undefined ? undefined : eq(tenants.id, id))
    .orderBy(asc(tenants.id));
  return rows.map((r) => ({ ...r.tenant, queueCount: Number(r.queueCount), submittedToday: Number(r.submittedToday) }));
}
