import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { TENANT_ID_PATTERN } from "../../core/tenancy";
import { createTenant, tenantsWithUsage, updateTenant } from "../../db/queries/tenants";
import type { AppEnv } from "../app-env";
import type { Db } from "../../db/client";
import { requirePlatform, tenantOf } from "../auth";
import { ApiError, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentTenant } from "../present-tenant";
import { tenantQuotasSchema, tenantSchema } from "../schemas/tenants";

const tags = ["tenants"];
const idParams = z.object({ id: z.string().regex(TENANT_ID_PATTERN, "tenant ids are 1–40 lowercase letters, digits and dashes") });

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Make a tenant (platform keys only); then make its keys with POST /api/v1/keys {tenant}",
  ...access("admin", 4 * 1024),
  request: {
    body: jsonRequest(z.strictObject({ id: idParams.shape.id, name: z.string().trim().min(1).max(200), quotas: tenantQuotasSchema.default({}) })),
  },
  responses: { 201: jsonResponse(tenantSchema, "The new tenant."), ...errors(400, 409, 413, 415) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every tenant with its quotas and usage (platform keys only)",
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ tenants: z.array(tenantSchema) }), "The tenants."), ...errors() },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A tenant's quotas and usage (its own keys, or a platform key)",
  ...access("read"),
  request: { params: idParams },
  responses: { 200: jsonResponse(tenantSchema, "The tenant."), ...errors(400, 404) },
});

const update = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Rename a tenant or set its quotas (platform keys only); `quotas` replaces them all",
  ...access("admin", 4 * 1024),
  request: { params: idParams, body: jsonRequest(z.strictObject({ name: z.string().trim().min(1).max(200).optional(), quotas: tenantQuotasSchema.optional() })) },
  responses: { 200: jsonResponse(tenantSchema, "The tenant as it now is."), ...errors(400, 404, 413, 415) },
});

async function withUsage(db: Db, id: string) {
  const [row] = await tenantsWithUsage(db, new Date(), id);
  if (!row) throw notFound("tenant", id);
  return presentTenant(row);
}

export const tenantRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    requirePlatform(c);
    const body = c.req.valid("json");
    const row = await createTenant(c.var.db, body, new Date());
    if (!row) throw new ApiError(409, "tenant_exists", `a tenant ${body.id} exists already`, { id: body.id });
    return c.json(await withUsage(c.var.db, row.id), 201);
  })
  .openapi(list, async (c) => {
    requirePlatform(c);
    return c.json({ tenants: (await tenantsWithUsage(c.var.db, new Date())).map(presentTenant) }, 200);
  })
  .openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    const own = tenantOf(c);
    if (own !== null && own !== id) throw notFound("tenant", id);
    return c.json(await withUsage(c.var.db, id), 200);
  })
  .openapi(update, async (c) => {
    requirePlatform(c);
    const { id } = c.req.valid("param");
    if (!(await updateTenant(c.var.db, id, c.req.valid("json"), new Date()))) throw notFound("tenant", id);
    return c.json(await withUsage(c.var.db, id), 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type TenantRouteDefs = { create: typeof create; list: typeof list; get: typeof get; update: typeof update };
