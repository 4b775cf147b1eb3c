import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "../../core/webhook-events";
import { getDelivery, listDeliveries, restartDelivery } from "../../db/queries/webhook-deliveries";
import { deleteWebhook, getWebhook, insertWebhook, listWebhooks, updateWebhook } from "../../db/queries/webhooks";
import { newSigningSecret } from "../../webhooks/sign";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { sendDeliveries } from "../../webhooks/send";
import { ApiError, checkTarget, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentDelivery, presentWebhook } from "../present-integrations";
import { limitSchema, queueNameSchema } from "../schemas/common";
import { createdWebhookSchema, deliverySchema, webhookSchema } from "../schemas/integration-responses";

const tags = ["webhooks"];

const fields = {
  url: z.string().max(2000),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "subscribe to at least one event").max(WEBHOOK_EVENT_TYPES.length),
  queues: z.array(queueNameSchema).max(100).openapi({ description: "Only events of these queues; empty or absent: every queue." }),
  enabled: z.boolean(),
  description: z.string().max(500).nullable(),
};

const createSchema = z.strictObject({ ...fields, queues: fields.queues.default([]), enabled: fields.enabled.default(true), description: fields.description.optional() });
const updateSchema = z
  .strictObject({ url: fields.url.optional(), events: fields.events.optional(), queues: fields.queues.optional(), enabled: fields.enabled.optional(), description: fields.description.optional() })
  .refine((s) => Object.keys(s).length > 0, "give at least one field to change");

const idParams = z.object({ id: z.uuid("webhook ids are UUIDs") });
const deliveryParams = z.object({ id: z.uuid("webhook ids are UUIDs"), deliveryId: z.uuid("delivery ids are UUIDs") });

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Subscribe a URL to job and batch events (the signing secret is shown only in this answer)",
  ...access("admin", 16 * 1024),
  request: { body: jsonRequest(createSchema) },
  responses: { 201: jsonResponse(createdWebhookSchema, "The subscription."), ...errors(400, 413, 415) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every subscription",
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ webhooks: z.array(webhookSchema) }), "The subscriptions."), ...errors() },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One subscription",
  ...access("read"),
  request: { params: idParams },
  responses: { 200: jsonResponse(webhookSchema, "The subscription."), ...errors(400, 404) },
});

const put = createRoute({
  method: "put",
  path: "/{id}",
  tags,
  summary: "Change a subscription",
  ...access("admin", 16 * 1024),
  request: { params: idParams, body: jsonRequest(updateSchema) },
  responses: { 200: jsonResponse(webhookSchema, "The subscription as it now is."), ...errors(400, 404, 413, 415) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a subscription and its delivery log",
  ...access("admin"),
  request: { params: idParams },
  responses: { 200: jsonResponse(webhookSchema, "The deleted subscription."), ...errors(400, 404) },
});

const deliveries = createRoute({
  method: "get",
  path: "/{id}/deliveries",
  tags,
  summary: "The subscription's deliveries, newest first: status, response code, tries, last error, duration",
  ...access("read"),
  request: { params: idParams, query: z.object({ status: z.enum(DELIVERY_STATUSES).optional(), limit: limitSchema(500, 50) }) },
  responses: { 200: jsonResponse(z.object({ deliveries: z.array(deliverySchema) }), "The deliveries."), ...errors(400, 404) },
});

const redeliver = createRoute({
  method: "post",
  path: "/{id}/deliveries/{deliveryId}/redeliver",
  tags,
  summary: "Send a delivered or failed delivery again, with a fresh budget of tries",
  ...access("admin"),
  request: { params: deliveryParams },
  responses: { 202: jsonResponse(deliverySchema, "The delivery, pending again."), ...errors(400, 404, 409) },
});

export const webhookRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    const input = c.req.valid("json");
    checkTarget(c.env, "url", input.url);
    const secret = newSigningSecret();
    const row = await insertWebhook(
      c.var.db,
      { id: crypto.randomUUID(), secret, url: input.url, events: [...new Set(input.events)], queues: [...new Set(input.queues)], enabled: input.enabled, description: input.description ?? null, tenantId: tenantOf(c) },
      new Date(),
    );
    return c.json({ ...presentWebhook(row), secret }, 201);
  })
  .openapi(list, async (c) => c.json({ webhooks: (await listWebhooks(c.var.db, tenantOf(c))).map(presentWebhook) }, 200))
  .openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    const row = await getWebhook(c.var.db, id, tenantOf(c));
    if (!row) throw notFound("webhook", id);
    return c.json(presentWebhook(row), 200);
  })
  .openapi(put, async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    if (patch.url !== undefined) checkTarget(c.env, "url", patch.url);
    const row = await updateWebhook(
      c.var.db,
      id,
      { ...patch, ...(patch.events ? { events: [...new Set(patch.events)] } : {}), ...(patch.queues ? { queues: [...new Set(patch.queues)] } : {}) },
      new Date(),
      tenantOf(c),
    );
    if (!row) throw notFound("webhook", id);
    return c.json(presentWebhook(row), 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    const row = await deleteWebhook(c.var.db, id, tenantOf(c));
    if (!row) throw notFound("webhook", id);
    return c.json(presentWebhook(row), 200);
  })
  .openapi(deliveries, async (c) => {
    const { id } = c.req.valid("param");
    const { status, limit } = c.req.valid("query");
    if (!(await getWebhook(c.var.db, id, tenantOf(c)))) throw notFound("webhook", id);
    const rows = await listDeliveries(c.var.db, id, status, limit);
    return c.json({ deliveries: rows.map(presentDelivery) }, 200);
  })
  .openapi(redeliver, async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    if (!(await getWebhook(c.var.db, id, tenantOf(c)))) throw notFound("webhook", id);
    const row = await restartDelivery(c.var.db, id, deliveryId);
    if (!row) {
      const current = await getDelivery(c.var.db, id, deliveryId);
      if (!current) throw notFound("delivery", deliveryId);
      throw new ApiError(409, "delivery_pending", `delivery ${deliveryId} is still being tried`, { status: current.status, attempts: current.attempts });
    }
    await sendDeliveries(c.env, c.var.db, [row.id], new Date());
    return c.json(presentDelivery(row), 202);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type WebhookRouteDefs = {
  create: typeof create;
  list: typeof list;
  get: typeof get;
  put: typeof put;
  remove: typeof remove;
  deliveries: typeof deliveries;
  redeliver: typeof redeliver;
};
