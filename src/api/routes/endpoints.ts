import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteEndpoint, getEndpoint, listEndpoints, putEndpoint } from "../../db/queries/endpoints";
import type { EndpointRow } from "../../db/schema";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import type { Context } from "hono";
import { visibleQueue } from "../tenant-guard";
import { ApiError, checkTarget, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentEndpoint } from "../present-integrations";
import { queueNameSchema } from "../schemas/common";
import { endpointSchema } from "../schemas/integration-responses";
import { jobTypeSchema } from "../schemas/job-input";

/** Headers edgeq sets itself: the body's type and the signature. */
const RESERVED_HEADER = /^(content-type|content-length|host|webhook-.*)$/i;

const endpointInputSchema = z.strictObject({
  url: z.string().max(2000),
  timeoutMs: z.number().int().min(100).max(15 * 60_000).optional().openapi({ description: "The request's limit; never more than the job's timeout (the default)." }),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "header names are letters, digits and '-'"), z.string().max(4000))
    .refine((h) => Object.keys(h).length <= 20, "at most 20 headers")
    .refine((h) => !Object.keys(h).some((k) => RESERVED_HEADER.test(k)), "content-type, content-length, host and webhook-* headers are edgeq's own")
    .default({}),
});

const tags = ["endpoints"];

/** The routes of one kind of binding: a job type (`/api/v1/endpoints/:type`) or a queue (`/api/v1/queues/:name/endpoint`). */
function bindingRoutes(kind: EndpointRow["kind"]) {
  const params = kind === "type" ? z.object({ name: jobTypeSchema }) : z.object({ name: queueNameSchema });
  const path = kind === "type" ? "/{name}" : "/{name}/endpoint";
  const what = kind === "type" ? "job type" : "queue";
  const put = createRoute({
    method: "put",
    path,
    tags,
    summary: `Run the ${what}'s jobs by POSTing them (signed) to an HTTPS endpoint`,
    ...access("admin", 64 * 1024),
    request: { params, body: jsonRequest(endpointInputSchema) },
    responses: { 201: jsonResponse(endpointSchema, "The binding was made."), 200: jsonResponse(endpointSchema, "The binding was changed."), ...errors(400, 413, 415) },
  });
  const get = createRoute({
    method: "get",
    path,
    tags,
    summary: `The endpoint bound to a ${what}`,
    ...access("read"),
    request: { params },
    responses: { 200: jsonResponse(endpointSchema, "The binding."), ...errors(400, 404) },
  });
  const remove = createRoute({
    method: "delete",
    path,
    tags,
    summary: `Unbind a ${what}: its jobs run in the Worker again`,
    ...access("admin"),
    request: { params },
    responses: { 200: jsonResponse(endpointSchema, "The removed binding."), ...errors(400, 404) },
  });
  /**
   * A tenant binds only its own queues: a job type's binding would run every tenant's jobs of the
   * type, so type bindings are the platform's (a tenant sees none of them).
   */
  const guard = async (c: Context<AppEnv>, name: string, writing: boolean) => {
    if (tenantOf(c) === null) return;
    if (kind === "queue") await visibleQueue(c, name);
    else if (writing) throw new ApiError(403, "forbidden", "job-type endpoints run every tenant's jobs of the type; only a platform key may bind one — bind your queue instead", { type: name });
    else throw notFound(`endpoint for ${what}`, name);
  };
  const routes = new OpenAPIHono<AppEnv>()
    .openapi(put, async (c) => {
      const { name } = c.req.valid("param");
      await guard(c, name, true);
      const input = c.req.valid("json");
      checkTarget(c.env, "url", input.url);
      if (!c.env.EDGEQ_SIGNING_SECRET) throw new ApiError(400, "signing_secret_missing", "endpoint requests are signed: set EDGEQ_SIGNING_SECRET (a whsec_… secret) first");
      const { row, created } = await putEndpoint(c.var.db, { kind, name, url: input.url, timeoutMs: input.timeoutMs ?? null, headers: input.headers }, new Date());
      return created ? c.json(presentEndpoint(row), 201) : c.json(presentEndpoint(row), 200);
    })
    .openapi(get, async (c) => {
      const { name } = c.req.valid("param");
      await guard(c, name, false);
      const row = await getEndpoint(c.var.db, kind, name);
      if (!row) throw notFound(`endpoint for ${what}`, name);
      return c.json(presentEndpoint(row), 200);
    })
    .openapi(remove, async (c) => {
      const { name } = c.req.valid("param");
      await guard(c, name, true);
      const row = await deleteEndpoint(c.var.db, kind, name);
      if (!row) throw notFound(`endpoint for ${what}`, name);
      return c.json(presentEndpoint(row), 200);
    });
  return { routes, put, get, remove };
}

const byType = bindingRoutes("type");
const byQueue = bindingRoutes("queue");

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every endpoint binding, of job types and of queues",
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ endpoints: z.array(endpointSchema) }), "The bindings."), ...errors() },
});

/** Mounted at /api/v1/endpoints. */
export const endpointRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ endpoints: (await listEndpoints(c.var.db, tenantOf(c))).map(presentEndpoint) }, 200))
  .route("/", byType.routes);

/** Mounted at /api/v1/queues. */
export const queueEndpointRoutes = byQueue.routes;

/** The route definitions, whose schemas give the typed client its types. */
export type EndpointRouteDefs = { list: typeof list; put: typeof byType.put; get: typeof byType.get; remove: typeof byType.remove };
