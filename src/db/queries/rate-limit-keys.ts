import { asc, eq } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";
import type { RatePolicy } from "../../core/rate-window";
import type { Db } from "../client";
import { rateLimitKeys, type RateLimitKeyRow } from "../schema";

/** `key` is the stored (tenant-qualified) name; `tenant` owns it. */
export async function upsertRateLimitKey(db: Db, key: string, tenant: TenantId, policy: RatePolicy, now: Date): Promise<RateLimitKeyRow> {
  const [row] = await db
    .insert(rateLimitKeys)
    .values({ key, tenantId: tenant, ...policy, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: rateLimitKeys.key, set: { ...policy, updatedAt: now } })
    .returning();
  if (!row) throw new Error(`upsert of rate-limit key ${key} returned nothing`);
  return row;
}

export async function listRateLimitKeys(db: Db, viewer: TenantId): Promise<RateLimitKeyRow[]> {
  return db
    .select()
    .from(rateLimitKeys)
    .where(viewer === null ? undefined : eq(rateLimitKeys.tenantId, viewer))
    .orderBy(asc(rateLimitKeys.key));
}

export async function getRateLimitKey(db: Db, key: string): Promise<RateLimitKeyRow | null> {
  const [row] = await db.select().from(rateLimitKeys).where(eq(rateLimitKeys.key, key));
  return row ?? null;
}

export async function deleteRateLimitKey(db: Db, key: string): Promise<boolean> {
  return (await db.delete(rateLimitKeys).where(eq(rateLimitKeys.key, key)).returning()).length > 0;
}
