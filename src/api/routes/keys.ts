import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { generateApiKey, hashApiKey } from "../../auth/api-key";
import { SCOPES } from "../../auth/scopes";
import { insertApiKey, listApiKeys, revokeApiKey } from "../../db/queries/api-keys";
import type { AppEnv } from "../app-env";
import { forgetApiKey, tenantOf } from "../auth";
import { ApiError, notFound } from "../errors";
import { TENANT_ID_PATTERN } from "../../core/tenancy";
import { findTenant } from "../../db/queries/tenants";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentApiKey } from "../present";
import { apiKeySchema, createdApiKeySchema } from "../schemas/responses";

const tags = ["API keys"];

const newKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1, "give the key at least one scope").max(SCOPES.length),
  rateLimit: z
    .strictObject({ limit: z.number().int().min(1).max(10_000_000), windowMs: z.number().int().min(1000).max(86_400_000) })
    .optional()
    .openapi({ description: "Requests per window for this key; without it the deployment's default applies." }),
  tenant: z.string().regex(TENANT_ID_PATTERN, "tenant ids are lowercase letters, digits and dashes").optional().openapi({
    description: "The tenant the key belongs to (platform keys only; a tenant's key always makes keys of its own tenant). Without it, a platform key makes a platform key.",
  }),
});

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Make an API key (the key is shown only in this answer)",
  ...access("admin", 16 * 1024),
  request: { body: jsonRequest(newKeySchema) },
  responses: { 201: jsonResponse(createdApiKeySchema, "The new key."), ...errors(400, 403, 404, 413, 415) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every key, without the keys themselves",
  ...access("admin"),
  responses: { 200: jsonResponse(z.object({ keys: z.array(apiKeySchema) }), "The keys."), ...errors() },
});

const revoke = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Revoke a key",
  ...access("admin"),
  request: { params: z.object({ id: z.uuid("key ids are UUIDs") }) },
  responses: { 200: jsonResponse(apiKeySchema, "The revoked key."), ...errors(400, 404) },
});

export const keyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    const { name, scopes, rateLimit, tenant } = c.req.valid("json");
    const own = tenantOf(c);
    if (own !== null && tenant !== undefined && tenant !== own) throw new ApiError(403, "forbidden", "a tenant's key makes keys of its own tenant only", { tenant });
    const tenantId = own ?? tenant ?? null;
    if (tenantId !== null && !(await findTenant(c.var.db, tenantId))) throw notFound("tenant", tenantId);
    const { key, prefix } = generateApiKey();
    const row = await insertApiKey(c.var.db, { id: crypto.randomUUID(), name, prefix, keyHash: await hashApiKey(key), scopes: [...new Set(scopes)], rateLimit: rateLimit ?? null, createdAt: new Date(), tenantId });
    return c.json({ ...presentApiKey(row), key }, 201);
  })
  .openapi(list, async (c) => c.json({ keys: (await listApiKeys(c.var.db, tenantOf(c))).map(presentApiKey) }, 200))
  .openapi(revoke, async (c) => {
    const { id } = c.req.valid("param");
    const row = await revokeApiKey(c.var.db, id, new Date(), tenantOf(c));
    if (!row) throw notFound("API key", id);
    forgetApiKey(row.prefix);
    return c.json(presentApiKey(row), 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type KeyRouteDefs = { create: typeof create; list: typeof list; revoke: typeof revoke };
