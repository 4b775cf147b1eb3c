import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ratePolicySchema } from "../../core/rate-window";
import { deleteRateLimitKey, getRateLimitKey, listRateLimitKeys, upsertRateLimitKey } from "../../db/queries/rate-limit-keys";
import { forgetKeyPolicy } from "../../flow/key-policies";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { qualifyKey } from "../../core/tenancy";
import { notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentRateLimitKey } from "../present";
import { rateLimitKeySchema as keyNameSchema } from "../schemas/common";
import { rateLimitKeySchema } from "../schemas/responses";

const tags = ["rate limits"];
const keyParams = z.object({ key: keyNameSchema });

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every shared rate-limit key with its limit",
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ keys: z.array(rateLimitKeySchema) }), "The keys."), ...errors() },
});

const get = createRoute({
  method: "get",
  path: "/{key}",
  tags,
  summary: "A shared rate-limit key's limit",
  ...access("read"),
  request: { params: keyParams },
  responses: { 200: jsonResponse(rateLimitKeySchema, "The key."), ...errors(400, 404) },
});

const put = createRoute({
  method: "put",
  path: "/{key}",
  tags,
  summary: "Set a shared rate limit: jobs naming this rateLimitKey, in any queue, start at most `limit` per `periodMs`",
  ...access("admin", 4 * 1024),
  request: { params: keyParams, body: jsonRequest(ratePolicySchema) },
  responses: { 200: jsonResponse(rateLimitKeySchema, "The key as it now is."), ...errors(400, 413, 415) },
});

const remove = createRoute({
  method: "delete",
  path: "/{key}",
  tags,
  summary: "Remove a shared rate limit (its jobs are then not limited)",
  ...access("admin"),
  request: { params: keyParams },
  responses: { 200: jsonResponse(z.object({ deleted: z.literal(true), key: z.string() }), "Deleted."), ...errors(400, 404) },
});

export const rateLimitRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ keys: (await listRateLimitKeys(c.var.db, tenantOf(c))).map((k) => presentRateLimitKey(k, tenantOf(c))) }, 200))
  .openapi(get, async (c) => {
    const { key } = c.req.valid("param");
    const row = await getRateLimitKey(c.var.db, qualifyKey(tenantOf(c), key));
    if (!row) throw notFound("rate-limit key", key);
    return c.json(presentRateLimitKey(row, tenantOf(c)), 200);
  })
  .openapi(put, async (c) => {
    const { key } = c.req.valid("param");
    // A tenant's key is stored under its tenant's name, as its jobs' keys are (src/db/queries/insert-jobs.ts).
    const stored = qualifyKey(tenantOf(c), key);
    const row = await upsertRateLimitKey(c.var.db, stored, tenantOf(c), c.req.valid("json"), new Date());
    forgetKeyPolicy(stored);
    return c.json(presentRateLimitKey(row, tenantOf(c)), 200);
  })
  .openapi(remove, async (c) => {
    const { key } = c.req.valid("param");
    const stored = qualifyKey(tenantOf(c), key);
    if (!(await deleteRateLimitKey(c.var.db, stored))) throw notFound("rate-limit key", key);
    forgetKeyPolicy(stored);
    return c.json({ deleted: true as const, key }, 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type RateLimitRouteDefs = { list: typeof list; get: typeof get; put: typeof put; remove: typeof remove };
