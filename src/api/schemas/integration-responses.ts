import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "../../core/webhook-events";

/** What the integration routes (webhooks, endpoints, pull workers) answer with; present-integrations.ts maps rows to these. */

const time = z.string().openapi({ format: "date-time" });

export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    queues: z.array(z.string()).openapi({ description: "Only events of these queues; empty: every queue." }),
    enabled: z.boolean(),
    description: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("Webhook");

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().openapi({ description: "The signing secret (`whsec_…`); shown only in this answer." }) })
  .openapi("CreatedWebhook");

export const deliverySchema = z
  .object({
    id: z.uuid().openapi({ description: "Also the `webhook-id` header of every try." }),
    webhookId: z.uuid().nullable(),
    url: z.string(),
    event: z.enum(WEBHOOK_EVENT_TYPES),
    jobId: z.uuid().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable().openapi({ description: "The last try's HTTP status; null when it got no answer." }),
    lastError: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    payload: z.unknown().openapi({ description: "The body as sent." }),
    createdAt: time,
    lastAttemptAt: time.nullable(),
    deliveredAt: time.nullable(),
  })
  .openapi("WebhookDelivery");

export const endpointSchema = z
  .object({
    kind: z.enum(["type", "queue"]),
    name: z.string().openapi({ description: "The job type or queue bound." }),
    url: z.string(),
    timeoutMs: z.number().int().nullable(),
    headers: z.array(z.string()).openapi({ description: "Names of the headers sent; their values are never shown." }),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("Endpoint");

export const leasedJobSchema = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    type: z.string(),
    payload: z.unknown(),
    priority: z.number().int(),
    attempt: z.number().int().openapi({ description: "This attempt, from 1." }),
    maxAttempts: z.number().int(),
    timeoutMs: z.number().int(),
    tags: z.array(z.string()),
    createdAt: time,
    leaseId: z.string().openapi({ description: "Present it with heartbeat, complete, fail and release." }),
    leaseExpiresAt: time,
  })
  .openapi("LeasedJob");

export const leaseAnswerSchema = z.object({ jobs: z.array(leasedJobSchema) }).openapi("Leased");

export const heartbeatAnswerSchema = z.object({ id: z.uuid(), leaseId: z.string(), leaseExpiresAt: time }).openapi("LeaseExtended");

export const workerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    queues: z.array(z.string()),
    host: z.string().nullable(),
    startedAt: time,
    lastHeartbeatAt: time,
    currentJobs: z.array(z.string()),
    processed: z.number().int(),
    failed: z.number().int(),
  })
  .openapi("Worker");
