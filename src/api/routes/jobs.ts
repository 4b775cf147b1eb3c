import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { cancelJob } from "../../db/queries/cancel-job";
import { getJob } from "../../db/queries/get-job";
import { jobGraph } from "../../db/queries/job-graph";
import { afterFinal } from "../../flow/after-final";
import { listJobs } from "../../db/queries/list-jobs";
import { requeueJobs } from "../../db/queries/requeue-jobs";
import { enqueueByQueue } from "../../jobs/enqueue";
import { submitJobs, type Submitted } from "../../jobs/submit";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";
import { assertJobVisible } from "../tenant-guard";
import { actorOf, tenantOf } from "../auth";
import { checkDependencies } from "../check-dependencies";
import { ApiError, checkCallback, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentAttempt, presentJob } from "../present";
import { jobIdSchema } from "../schemas/common";
import { batchInputSchema, jobInputSchema, MAX_PAYLOAD_BYTES, toQueuedJob } from "../schemas/job-input";
import { encodeCursor, listJobsQuerySchema, toJobFilter } from "../schemas/list-query";
import { batchSubmittedSchema, jobGraphSchema, jobPageSchema, jobSchema, jobWithAttemptsSchema, submittedSchema } from "../schemas/responses";
import { log } from "../../log";

/** Room for the JSON around a payload at its limit. */
export const SINGLE_BODY_LIMIT = MAX_PAYLOAD_BYTES + 64 * 1024;
const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

const idParams = z.object({ id: jobIdSchema });
/** Nodes a graph answer holds at most. */
const GRAPH_LIMIT = 1000;
const tags = ["jobs"];

export function presentSubmitted(s: Submitted) {
  return { ...presentJob(s.job), position: s.position, created: s.created };
}

/** A batch answers with what a producer needs per job, not 1,000 full jobs. */
export function presentSubmittedBrief({ job, position, created }: Submitted) {
  return { id: job.id, queue: job.queue, type: job.type, state: job.state, priority: job.priority, runAt: job.runAt.toISOString(), position, created };
}

const submit = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Submit a job",
  ...access("producer", SINGLE_BODY_LIMIT),
  request: { body: jsonRequest(jobInputSchema) },
  responses: {
    201: jsonResponse(submittedSchema, "The job was created."),
    200: jsonResponse(submittedSchema, "A job with this idempotency key already existed; it is returned unchanged."),
    ...errors(400, 413, 415),
  },
});

const submitBatch = createRoute({
  method: "post",
  path: "/batch",
  tags,
  summary: "Submit up to 1,000 jobs in one request",
  ...access("producer", BATCH_BODY_LIMIT),
  request: { body: jsonRequest(batchInputSchema) },
  responses: {
    201: jsonResponse(batchSubmittedSchema, "At least one job was created."),
    200: jsonResponse(batchSubmittedSchema, "Every job already existed (idempotency keys)."),
    ...errors(400, 413, 415),
  },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List jobs, newest first, with filters and a cursor",
  ...access("read"),
  request: { query: listJobsQuerySchema },
  responses: { 200: jsonResponse(jobPageSchema, "A page of jobs."), ...errors(400) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A job with its attempt history",
  ...access("read"),
  request: { params: idParams },
  responses: { 200: jsonResponse(jobWithAttemptsSchema, "The job."), ...errors(400, 404) },
});

const cancel = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Cancel a job that has not started",
  ...access("admin"),
  request: { params: idParams },
  responses: { 200: jsonResponse(jobSchema, "The cancelled job."), ...errors(400, 404, 409) },
});

const retry = createRoute({
  method: "post",
  path: "/{id}/retry",
  tags,
  summary: "Retry a dead or cancelled job with a fresh attempt budget",
  ...access("admin"),
  request: { params: idParams },
  responses: { 200: jsonResponse(jobSchema, "The job, queued again."), ...errors(400, 404, 409) },
});

const graph = createRoute({
  method: "get",
  path: "/{id}/graph",
  tags,
  summary: "The job's dependency graph: what it waits for and what waits for it, with states",
  ...access("read"),
  request: { params: idParams },
  responses: { 200: jsonResponse(jobGraphSchema, "Nodes and edges, for drawing."), ...errors(400, 404) },
});

export const jobRoutes = new OpenAPIHono<AppEnv>()
  .openapi(submit, async (c) => {
    const input = c.req.valid("json");
    await checkDependencies(c.var.db, [input], () => "", tenantOf(c));
    if (input.callbackUrl) checkCallback(c.env, "callbackUrl", input.callbackUrl);
    const now = Date.now();
    const [submitted] = await submitJobs(c.env, c.var.db, [{ ...toQueuedJob(input, now), tenant: tenantOf(c) }], new Date(now), actorOf(c));
    return submitted!.created ? c.json(presentSubmitted(submitted!), 201) : c.json(presentSubmitted(submitted!), 200);
  })
  .openapi(submitBatch, async (c) => {
    const input = c.req.valid("json");
    await checkDependencies(c.var.db, input.jobs, (i) => `jobs.${i}`, tenantOf(c));
    input.jobs.forEach((j, i) => j.callbackUrl && checkCallback(c.env, `jobs.${i}.callbackUrl`, j.callbackUrl));
    const now = Date.now();
    const submitted = await submitJobs(c.env, c.var.db, input.jobs.map((j) => ({ ...toQueuedJob(j, now), tenant: tenantOf(c) })), new Date(now), actorOf(c));
    const created = submitted.filter((s) => s.created).length;
    const body = { created, existing: submitted.length - created, jobs: submitted.map(presentSubmittedBrief) };
    return created > 0 ? c.json(body, 201) : c.json(body, 200);
  })
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const page = await listJobs(c.var.db, toJobFilter(q, tenantOf(c)), q.limit, q.cursor ?? null);
    return c.json({ jobs: page.jobs.map(presentJob), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
  })
  .openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    const found = await getJob(c.var.db, id, tenantOf(c));
    if (!found) throw notFound("job", id);
    return c.json({ ...presentJob(found.job), attempts: found.attempts.map(presentAttempt) }, 200);
  })
  .openapi(cancel, async (c) => {
    const { id } = c.req.valid("param");
    await assertJobVisible(c, id);
    const outcome = await cancelJob(c.var.db, id, new Date(), actorOf(c));
    if (!outcome) throw notFound("job", id);
    const { job, cancelled } = outcome;
    if (!cancelled) {
      if (job.state === "running") throw new ApiError(409, "job_running", `job ${id} is running and cannot be cancelled`, { state: job.state });
      throw new ApiError(409, "job_final", `job ${id} is already ${job.state}`, { state: job.state });
    }
    // Postgres says cancelled: a scheduler that still holds it would only see its claim refused.
    await Promise.all([
      schedulerFor(c.env, job.queue)
        .remove([job.id])
        .catch((error: unknown) => log("error", "the scheduler missed a cancel", { requestId: c.var.requestId, queue: job.queue, jobId: job.id }, error)),
      afterFinal(c.env, c.var.db, [job], job.finishedAt ?? new Date()),
    ]);
    return c.json(presentJob(job), 200);
  })
  .openapi(retry, async (c) => {
    const { id } = c.req.valid("param");
    const [job] = await requeueJobs(c.var.db, { ids: [id], tenant: tenantOf(c) }, new Date(), actorOf(c));
    if (!job) {
      const current = await getJob(c.var.db, id, tenantOf(c));
      if (!current) throw notFound("job", id);
      throw new ApiError(409, "not_retryable_state", `job ${id} is ${current.job.state}; only dead or cancelled jobs can be retried`, {
        state: current.job.state,
      });
    }
    await enqueueByQueue(c.env, [job]);
    return c.json(presentJob(job), 200);
  })
  .openapi(graph, async (c) => {
    const { id } = c.req.valid("param");
    await assertJobVisible(c, id);
    const { nodes, edges, truncated } = await jobGraph(c.var.db, id, GRAPH_LIMIT);
    if (nodes.length === 0) throw notFound("job", id);
    return c.json({ id, nodes, edges, truncated }, 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type JobRouteDefs = {
  submit: typeof submit;
  submitBatch: typeof submitBatch;
  list: typeof list;
  get: typeof get;
  cancel: typeof cancel;
  retry: typeof retry;
  graph: typeof graph;
};
