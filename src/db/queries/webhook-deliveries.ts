import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { DeliveryStatus, WebhookEventType } from "../../core/webhook-events";
import type { Db } from "../client";
import { rowMapper } from "../map-row";
import { webhookDeliveries, type WebhookDeliveryRow } from "../schema";

/** An event ready to match: its type and queue, the body every receiver gets, and its callback URL. */
export interface EventToMatch {
  type: WebhookEventType;
  queues: string[];
  jobId: string | null;
  /** The tenant of an event with no job; a job's event is its job's tenant's. */
  tenant: string | null;
  callbackUrl: string | null;
  body: unknown;
}

/** The columns of a CTE of events to file deliveries for (see {@link fileDeliveries}). */
export const EVENT_COLUMNS = sql.raw("(type text, queues text[], job_id uuid, tenant text, callback_url text, body jsonb)");

/** Events as rows for `jsonb_to_recordset(…) as e${EVENT_COLUMNS}`. */
export const eventRows = (events: EventToMatch[]) =>
  JSON.stringify(events.map((e) => ({ type: e.type, queues: e.queues, job_id: e.jobId, tenant: e.tenant, callback_url: e.callbackUrl, body: e.body })));

/**
 * An insert (for a CTE of its own) filing the deliveries of the events in CTE `source`: one per enabled
 * subscription whose events and queue filter match and that hears the event's tenant (a tenant's
 * subscription hears only its own tenant; a platform one hears all), and one per callback URL;
 * returns their ids.
 */
export const fileDeliveries = (source: string, now: Date): SQL => sql`
      insert into webhook_deliveries (id, webhook_id, url, event, job_id, payload, created_at)
      select gen_random_uuid(), m.webhook_id, m.url, m.type, m.job_id, m.body, ${now.toISOString()}::timestamptz
        from (
          select w.id as webhook_id, w.url, e.type, e.job_id, e.body
            from ${sql.raw(source)} e join webhooks w
              on w.enabled and e.type = any(w.events) and (cardinality(w.queues) = 0 or e.queues && w.queues)
             and (w.tenant_id is null or w.tenant_id = coalesce(e.tenant, (select j.tenant_id from jobs j where j.id = e.job_id)))
          union all
          select null, e.callback_url, e.type, e.job_id, e.body from ${sql.raw(source)} e where e.callback_url is not null
        ) m
      returning id`;

/** Files the deliveries for a group of events in one statement. Returns the new deliveries' ids. */
export async function insertDeliveries(db: Db, events: EventToMatch[], now: Date): Promise<string[]> {
  if (events.length === 0) return [];
  const result = await db.execute(sql`
    with e as (select * from jsonb_to_recordset(${eventRows(events)}::jsonb) as e${EVENT_COLUMNS}), filed as (${fileDeliveries("e", now)})
    select id from filed`);
  return result.rows.map((r) => r.id as string);
}

/** A delivery with the secret that signs it (its subscription's; null for a callback) and whether its subscription is on. */
export interface DeliveryToSend {
  delivery: WebhookDeliveryRow;
  secret: string | null;
  enabled: boolean;
}

const toDelivery = rowMapper(webhookDeliveries);

export async function deliveriesToSend(db: Db, ids: string[]): Promise<DeliveryToSend[]> {
  if (ids.length === 0) return [];
  const result = await db.execute(sql`
    select to_jsonb(d) as delivery, w.secret, coalesce(w.enabled, true) as enabled
      from webhook_deliveries d left join webhooks w on w.id = d.webhook_id
     where d.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);
  return (result.rows as { delivery: Record<string, unknown>; secret: string | null; enabled: boolean }[]).map((r) => ({
    delivery: toDelivery(r.delivery),
    secret: r.secret,
    enabled: r.enabled,
  }));
}

/** The end of one try. */
export interface DeliveryTry {
  id: string;
  status: DeliveryStatus;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** Records a batch of tries in one statement; each counts as one attempt. */
export async function recordDeliveryTries(db: Db, tries: DeliveryTry[], now: Date): Promise<void> {
  if (tries.length === 0) return;
  const rows = tries.map((t) => ({ id: t.id, status: t.status, response_status: t.responseStatus, error: t.error, duration_ms: Math.round(t.durationMs) }));
  const nowIso = now.toISOString();
  await db.execute(sql`
    update webhook_deliveries d
       set status = t.status, attempts = d.attempts + 1, response_status = t.response_status, last_error = t.error,
           duration_ms = t.duration_ms, last_attempt_at = ${nowIso}::timestamptz,
           delivered_at = case when t.status = 'delivered' then ${nowIso}::timestamptz else d.delivered_at end
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(id uuid, status text, response_status int, error text, duration_ms int)
     where d.id = t.id`);
}

/** A subscription's deliveries, newest first. */
export async function listDeliveries(db: Db, webhookId: string, status: DeliveryStatus | undefined, limit: number): Promise<WebhookDeliveryRow[]> {
  const where = status ? and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, status)) : eq(webhookDeliveries.webhookId, webhookId);
  return db.select().from(webhookDeliveries).where(where).orderBy(desc(webhookDeliveries.createdAt)).limit(limit);
}

export async function getDelivery(db: Db, webhookId: string, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.webhookId, webhookId)));
  return row ?? null;
}

/** Starts a finished delivery over (a fresh budget of tries); null when it is still pending. */
export async function restartDelivery(db: Db, webhookId: string, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0 })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.webhookId, webhookId), sql`${webhookDeliveries.status} <> 'pending'`))
    .returning();
  return row ?? null;
}

/** Marks deliveries as handed to the webhooks queue. */
export async function markSent(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`update webhook_deliveries set sent_at = ${now.toISOString()}::timestamptz where id in ${ids}`);
}

/**
 * Pending deliveries nothing will bring back by itself: never tried and not handed to the queue (or
 * handed to it `untriedAfterMs` ago and still untried), or tried and silent for longer than any retry
 * may wait (`retriedAfterMs`: the queue's longest delay and a margin). Oldest first, at most `limit`.
 */
export async function strandedDeliveries(db: Db, now: Date, limits: { untriedAfterMs: number; retriedAfterMs: number; limit: number }): Promise<string[]> {
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const result = await db.execute(sql`
    select id from webhook_deliveries
     where status = 'pending'
       and ((attempts = 0 and coalesce(sent_at, created_at) < ${at(limits.untriedAfterMs)}::timestamptz)
         or (attempts > 0 and last_attempt_at < ${at(limits.retriedAfterMs)}::timestamptz and coalesce(sent_at, created_at) < ${at(limits.retriedAfterMs)}::timestamptz))
     order by created_at
     limit ${limits.limit}`);
  return result.rows.map((r) => r.id as string);
}
