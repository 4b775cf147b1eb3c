import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getBatch } from "../../db/queries/job-batches";
import { submitJobs } from "../../jobs/submit";
import type { AppEnv } from "../app-env";
import { actorOf, tenantOf } from "../auth";
import { checkDependencies } from "../check-dependencies";
import { checkCallback, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentBatch } from "../present";
import { jobBatchInputSchema, toQueuedJob } from "../schemas/job-input";
import { jobBatchSchema, jobBatchSubmittedSchema } from "../schemas/responses";
import { presentSubmittedBrief } from "./jobs";

/** 10,000 jobs with room for sizeable payloads; each payload is still held to 1 MB. */
const BODY_LIMIT = 64 * 1024 * 1024;
const tags = ["job batches"];

const submit = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Submit up to 10,000 jobs as one named batch, tracked to its completion",
  ...access("producer", BODY_LIMIT),
  request: { body: jsonRequest(jobBatchInputSchema) },
  responses: { 201: jsonResponse(jobBatchSubmittedSchema, "The batch, with each job's id and state."), ...errors(400, 413, 415) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A batch: its jobs by state, progress, and when it finished",
  ...access("read"),
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 200: jsonResponse(jobBatchSchema, "The batch."), ...errors(400, 404) },
});

export const jobBatchRoutes = new OpenAPIHono<AppEnv>()
  .openapi(submit, async (c) => {
    const input = c.req.valid("json");
    await checkDependencies(c.var.db, input.jobs, (i) => `jobs.${i}`, tenantOf(c));
    if (input.callbackUrl) checkCallback(c.env, "callbackUrl", input.callbackUrl);
    input.jobs.forEach((j, i) => j.callbackUrl && checkCallback(c.env, `jobs.${i}.callbackUrl`, j.callbackUrl));
    const now = Date.now();
    const id = crypto.randomUUID();
    const submitted = await submitJobs(c.env, c.var.db, input.jobs.map((j) => ({ ...toQueuedJob(j, now), tenant: tenantOf(c) })), new Date(now), actorOf(c), { id, name: input.name, callbackUrl: input.callbackUrl ?? null, tenantId: tenantOf(c) });
    const found = await getBatch(c.var.db, id, tenantOf(c));
    if (!found) throw new Error(`batch ${id} was not stored`);
    const existing = submitted.filter((s) => !s.created).length;
    return c.json({ ...presentBatch(found.batch, found.counts), existing, jobs: submitted.map(presentSubmittedBrief) }, 201);
  })
  .openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    const found = await getBatch(c.var.db, id, tenantOf(c));
    if (!found) throw notFound("batch", id);
    return c.json(presentBatch(found.batch, found.counts), 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type JobBatchRouteDefs = { submit: typeof submit; get: typeof get };
