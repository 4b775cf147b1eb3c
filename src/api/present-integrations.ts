import type { z } from "@hono/zod-openapi";
import type { EndpointRow, WebhookDeliveryRow, WebhookRow, WorkerRow } from "../db/schema";
import type { deliverySchema, endpointSchema, webhookSchema, workerSchema } from "./schemas/integration-responses";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentWebhook(w: WebhookRow): z.output<typeof webhookSchema> {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    queues: w.queues,
    enabled: w.enabled,
    description: w.description,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function presentDelivery(d: WebhookDeliveryRow): z.output<typeof deliverySchema> {
  return {
    id: d.id,
    webhookId: d.webhookId,
    url: d.url,
    event: d.event,
    jobId: d.jobId,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    durationMs: d.durationMs,
    payload: d.payload,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: iso(d.lastAttemptAt),
    deliveredAt: iso(d.deliveredAt),
  };
}

export function presentEndpoint(e: EndpointRow): z.output<typeof endpointSchema> {
  return {
    kind: e.kind,
    name: e.name,
    url: e.url,
    timeoutMs: e.timeoutMs,
    headers: Object.keys(e.headers),
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function presentWorker(w: WorkerRow): z.output<typeof workerSchema> {
  return {
    id: w.id,
    name: w.name,
    queues: w.queues,
    host: w.host,
    startedAt: w.startedAt.toISOString(),
    lastHeartbeatAt: w.lastSeenAt.toISOString(),
    currentJobs: w.currentJobs,
    processed: w.processed,
    failed: w.failed,
  };
}
