import { desc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { webhooks, type WebhookRow } from "../schema";

export type WebhookFields = Pick<WebhookRow, "url" | "events" | "queues" | "enabled" | "description">;

export async function insertWebhook(db: Db, row: WebhookFields & Pick<WebhookRow, "id" | "secret">, now: Date): Promise<WebhookRow> {
  const [created] = await db.insert(webhooks).values({ ...row, createdAt: now, updatedAt: now }).returning();
  return created!;
}

export async function listWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.select().from(webhooks).orderBy(desc(webhooks.createdAt));
}

export async function getWebhook(db: Db, id: string): Promise<WebhookRow | null> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row ?? null;
}

export async function updateWebhook(db: Db, id: string, patch: Partial<WebhookFields>, now: Date): Promise<WebhookRow | null> {
  const [row] = await db.update(webhooks).set({ ...patch, updatedAt: now }).where(eq(webhooks.id, id)).returning();
  return row ?? null;
}

/** Deletes a subscription and, with it, its delivery log. */
export async function deleteWebhook(db: Db, id: string): Promise<WebhookRow | null> {
  const [row] = await db.delete(webhooks).where(eq(webhooks.id, id)).returning();
  return row ?? null;
}
