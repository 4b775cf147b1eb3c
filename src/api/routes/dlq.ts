import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteDeadJob } from "../../db/queries/delete-dead-job";
import { listJobs } from "../../db/queries/list-jobs";
import { requeueJobs } from "../../db/queries/requeue-jobs";
import { enqueueByQueue } from "../../jobs/enqueue";
import type { AppEnv } from "../app-env";
import { assertJobVisible } from "../tenant-guard";
import { actorOf, tenantOf } from "../auth";
import { notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentJob } from "../present";
import { isoTimeSchema, jobIdSchema, queueNameSchema } from "../schemas/common";
import { encodeCursor, listDlqQuerySchema, toJobFilter } from "../schemas/list-query";
import { jobPageSchema } from "../schemas/responses";

/** One bulk retry moves at most this many jobs; `more` tells the caller to call again. */
const MAX_BULK_RETRY = 10_000;

const retryBodySchema = z.union([
  z.strictObject({ ids: z.array(jobIdSchema).min(1).max(MAX_BULK_RETRY) }),
  z.strictObject({
    filter: z.strictObject({
      queue: queueNameSchema.optional(),
      type: z.string().min(1).max(200).optional(),
      since: isoTimeSchema.transform((s) => new Date(s)).optional(),
      until: isoTimeSchema.transform((s) => new Date(s)).optional(),
      error: z.string().min(1).max(200).optional(),
    }),
    limit: z.number().int().min(1).max(MAX_BULK_RETRY).default(MAX_BULK_RETRY),
  }),
]);

const tags = ["dead-letter queue"];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Dead jobs, newest first, with filters and a cursor",
  ...access("read"),
  request: { query: listDlqQuerySchema },
  responses: { 200: jsonResponse(jobPageSchema, "A page of dead jobs."), ...errors(400) },
});

const retry = createRoute({
  method: "post",
  path: "/retry",
  tags,
  summary: "Retry dead jobs by id or by filter",
  ...access("admin", 1024 * 1024),
  request: { body: jsonRequest(retryBodySchema) },
  responses: {
    200: jsonResponse(z.object({ retried: z.number().int(), ids: z.array(z.uuid()), more: z.boolean() }), "The jobs queued again."),
    ...errors(400, 413, 415),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a dead job for good",
  ...access("admin"),
  request: { params: z.object({ id: jobIdSchema }) },
  responses: { 200: jsonResponse(z.object({ deleted: z.literal(true), id: z.uuid() }), "Deleted."), ...errors(400, 404) },
});

export const dlqRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const page = await listJobs(c.var.db, toJobFilter({ ...q, state: ["dead"] }, tenantOf(c)), q.limit, q.cursor ?? null);
    return c.json({ jobs: page.jobs.map(presentJob), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
  })
  .openapi(retry, async (c) => {
    const body = c.req.valid("json");
    const target = "ids" in body ? { ids: body.ids, tenant: tenantOf(c) } : { filter: toJobFilter({ ...body.filter, state: ["dead"] }, tenantOf(c)), limit: body.limit };
    const jobs = await requeueJobs(c.var.db, target, new Date(), actorOf(c));
    await enqueueByQueue(c.env, jobs);
    const full = "limit" in target && jobs.length === target.limit;
    return c.json({ retried: jobs.length, ids: jobs.map((j) => j.id), more: full }, 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    await assertJobVisible(c, id);
    if (!(await deleteDeadJob(c.var.db, id))) throw notFound("dead-lettered job", id);
    return c.json({ deleted: true as const, id }, 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type DlqRouteDefs = { list: typeof list; retry: typeof retry; remove: typeof remove };
