import { and, desc, eq } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";
import type { Db } from "../client";
import { webhooks, type WebhookRow } from "../schema";

export type WebhookFields = Pick<WebhookRow, "url" | "events" | "queues" | "enabled" | "description">;

/** Only the viewer tenant's subscriptions (a platform viewer: all). */
const visible = (id: string | null, viewer: TenantId) => and(id === null ? undefined : eq(webhooks.id, id), viewer === null ? undefined : eq(webhooks.tenantId, viewer));

export async function insertWebhook(db: Db, row: WebhookFields & Pick<WebhookRow, "id" | "secret" | "tenantId">, now: Date): Promise<WebhookRow> {
  const [created] = await db.insert(webhooks).values({ ...row, createdAt: now, updatedAt: now }).returning();
  return created!;
}

export async function listWebhooks(db: Db, viewer: TenantId): Promise<WebhookRow[]> {
  return db.select().from(webhooks).where(visible(null, viewer)).orderBy(desc(webhooks.createdAt));
}

export async function getWebhook(db: Db, id: string, viewer: TenantId): Promise<WebhookRow | null> {
  const [row] = await db.select().from(webhooks).where(visible(id, viewer));
  return row ?? null;
}

export async function updateWebhook(db: Db, id: string, patch: Partial<WebhookFields>, now: Date, viewer: TenantId): Promise<WebhookRow | null> {
  const [row] = await db.update(webhooks).set({ ...patch, updatedAt: now }).where(visible(id, viewer)).returning();
  return row ?? null;
}

/** Deletes a subscription and, with it, its delivery log. */
export async function deleteWebhook(db: Db, id: string, viewer: TenantId): Promise<WebhookRow | null> {
  const [row] = await db.delete(webhooks).where(visible(id, viewer)).returning();
  return row ?? null;
}
