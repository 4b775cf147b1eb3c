import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import type { TenantId } from "../../core/tenancy";
import type { TenantQuotas } from "../../api/schemas/tenants";
import { apiKeys, tenants, type ApiKeyRow } from "../schema";

export type NewApiKey = Pick<ApiKeyRow, "id" | "name" | "prefix" | "keyHash" | "scopes" | "rateLimit" | "createdAt" | "tenantId">;

/** A key with its tenant's quotas, which every request of the key obeys. */
export type KeyWithTenant = ApiKeyRow & { tenantQuotas: TenantQuotas | null };

export async function insertApiKey(db: Db, key: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(key).returning();
  if (!row) throw new Error("insert of an API key returned nothing");
  return row;
}

export async function findApiKeyByPrefix(db: Db, prefix: string): Promise<KeyWithTenant | null> {
  const [row] = await db
    .select({ key: apiKeys, tenantQuotas: tenants.quotas })
    .from(apiKeys)
    .leftJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(eq(apiKeys.prefix, prefix));
  return row ? { ...row.key, tenantQuotas: row.tenantQuotas } : null;
}

/** Only the viewer's tenant's keys, unless the viewer is the platform. */
const visible = (viewer: TenantId) => (viewer === null ? undefined : eq(apiKeys.tenantId, viewer));

export function listApiKeys(db: Db, viewer: TenantId): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(visible(viewer)).orderBy(desc(apiKeys.createdAt));
}

/** Revokes a live key the viewer sees; null when there is no such key, the row unchanged when already revoked. */
export async function revokeApiKey(db: Db, id: string, now: Date, viewer: TenantId): Promise<ApiKeyRow | null> {
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt), visible(viewer)))
    .returning();
  if (revoked) return revoked;
  const [existing] = await db.select().from(apiKeys).where(and(eq(apiKeys.id, id), visible(viewer)));
  return existing ?? null;
}

export async function touchApiKey(db: Db, id: string, now: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}
