import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Execution } from "../../consumer/execute-job";
import { reportToSchedulers } from "../../consumer/report";
import { getJob } from "../../db/queries/get-job";
import { extendLease, releaseJob } from "../../db/queries/pull-leases";
import { getQueue } from "../../db/queries/queues";
import { touchWorker } from "../../db/queries/workers";
import type { JobRow } from "../../db/schema";
import { leaseJobs, reportPulledOutcome } from "../../jobs/pull";
import { workerEvent } from "../../live/events";
import { publish } from "../../live/publish";
import { enqueueItem } from "../../scheduler/enqueue-item";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import type { Context } from "hono";
import { assertJobVisible, visibleQueue } from "../tenant-guard";
import { ApiError, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentJob } from "../present";
import { jobIdSchema, queueNameSchema } from "../schemas/common";
import { heartbeatAnswerSchema, leaseAnswerSchema } from "../schemas/integration-responses";
import { MAX_PAYLOAD_BYTES } from "../schemas/job-input";
import { jobSchema } from "../schemas/responses";

const tags = ["pull workers"];
const MAX_VISIBILITY_MS = 12 * 3_600_000;
const encoder = new TextEncoder();

export const workerIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, "worker ids are 1–128 letters, digits, '.', '_', ':', '@' or '-'");
const leaseIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, "a lease id as the lease answered it").transform(Number);
const visibilitySchema = z.number().int().min(1000).max(MAX_VISIBILITY_MS);

const leaseInput = z.strictObject({
  count: z.number().int().min(1).max(100).default(1),
  visibilityMs: visibilitySchema.default(30_000).openapi({ description: "How long the lease lasts unless a heartbeat extends it." }),
  workerId: workerIdSchema,
});

const heartbeatInput = z.strictObject({
  leaseId: leaseIdSchema,
  visibilityMs: visibilitySchema.default(30_000).openapi({ description: "The lease now ends this long from now." }),
  progress: z.unknown().optional().openapi({ description: "Anything JSON (a percentage, a step): shown on the job as `progress`." }),
});

const tooLarge = (value: unknown) => encoder.encode(JSON.stringify(value ?? null)).byteLength > MAX_PAYLOAD_BYTES;

const completeInput = z.strictObject({
  leaseId: leaseIdSchema,
  result: z.unknown().optional().refine((r) => !tooLarge(r), `a result is at most ${MAX_PAYLOAD_BYTES} bytes as JSON`),
});

const failInput = z.strictObject({
  leaseId: leaseIdSchema,
  error: z.strictObject({
    message: z.string().max(2000),
    name: z.string().max(200).default("Error"),
    code: z.string().max(200).optional(),
    stack: z.string().max(4000).optional(),
  }),
  retryable: z.boolean().default(true).openapi({ description: "false dead-letters the job at once." }),
  retryAfterMs: z.number().int().min(0).max(366 * 86_400_000).optional().openapi({ description: "The retry waits at least this long." }),
  timedOut: z.boolean().default(false).openapi({ description: "The worker gave up on the job's timeout: recorded as a timeout." }),
});

const releaseInput = z.strictObject({ leaseId: leaseIdSchema });

const nameParams = z.object({ name: queueNameSchema });
const idParams = z.object({ id: jobIdSchema });

const lease = createRoute({
  method: "post",
  path: "/queues/{name}/lease",
  tags,
  summary: "Lease up to `count` jobs of a pull queue (highest priority first, within its concurrency)",
  ...access("producer", 16 * 1024),
  request: { params: nameParams, body: jsonRequest(leaseInput) },
  responses: { 200: jsonResponse(leaseAnswerSchema, "The leased jobs; none when nothing is ready."), ...errors(400, 404, 409, 413, 415) },
});

const heartbeat = createRoute({
  method: "post",
  path: "/jobs/{id}/heartbeat",
  tags,
  summary: "Extend a lease and report progress",
  ...access("producer", 64 * 1024),
  request: { params: idParams, body: jsonRequest(heartbeatInput) },
  responses: { 200: jsonResponse(heartbeatAnswerSchema, "The lease now ends later."), ...errors(400, 404, 409, 413, 415) },
});

const outcomeRoute = (action: "complete" | "fail") =>
  createRoute({
    method: "post",
    path: `/jobs/{id}/${action}`,
    tags,
    summary: action === "complete" ? "Complete a leased job with its result" : "Report a leased job's attempt as failed (retried or dead-lettered as its policy says)",
    ...access("producer", 2 * MAX_PAYLOAD_BYTES),
    request: { params: idParams, body: jsonRequest(action === "complete" ? completeInput : failInput) },
    responses: { 200: jsonResponse(jobSchema, "The job after the outcome."), ...errors(400, 404, 409, 413, 415) },
  });
const complete = outcomeRoute("complete");
const fail = outcomeRoute("fail");

const release = createRoute({
  method: "post",
  path: "/jobs/{id}/release",
  tags,
  summary: "Give a leased job back unrun: queued again at once, the attempt not counted",
  ...access("producer", 16 * 1024),
  request: { params: idParams, body: jsonRequest(releaseInput) },
  responses: { 200: jsonResponse(jobSchema, "The job, queued again."), ...errors(400, 404, 409, 413, 415) },
});

const stale = (id: string, lease: number) =>
  new ApiError(409, "lease_stale", `lease ${lease} of job ${id} is not current: it expired or the job has finished`, { id, leaseId: String(lease) });

/** The job, or 404. */
async function jobOr404(c: Context<AppEnv>, id: string): Promise<JobRow> {
  const found = await getJob(c.var.db, id, tenantOf(c));
  if (!found) throw notFound("job", id);
  return found.job;
}

/** The job as it is now, after an outcome. */
async function current(c: Context<AppEnv>, id: string) {
  return presentJob(await jobOr404(c, id));
}

/** Mounted at /api/v1. */
export const pullRoutes = new OpenAPIHono<AppEnv>()
  .openapi(lease, async (c) => {
    const { name } = c.req.valid("param");
    const { count, visibilityMs, workerId } = c.req.valid("json");
    const queue = await visibleQueue(c, name);
    if (queue.mode !== "pull") throw new ApiError(409, "queue_not_pull", `queue ${name} is run by the Worker; set its mode to "pull" first`, { mode: queue.mode });
    const now = Date.now();
    const [jobs, seen] = await Promise.all([leaseJobs(c.env, c.var.db, queue, count, visibilityMs, workerId, c.var.defer), touchWorker(c.var.db, workerId, name, new Date(now), tenantOf(c))]);
    if (seen?.joined) c.var.defer(publish(c.env, [workerEvent("worker.joined", seen.worker, now)]));
    return c.json(
      {
        jobs: jobs.map((j) => ({
          id: j.id,
          queue: j.queue,
          type: j.type,
          payload: j.payload,
          priority: j.priority,
          attempt: j.attempt - j.attemptBase,
          maxAttempts: j.maxAttempts,
          timeoutMs: j.timeoutMs,
          tags: j.tags,
          createdAt: j.createdAt.toISOString(),
          leaseId: String(j.leaseSeq),
          leaseExpiresAt: (j.leaseExpiresAt ?? new Date(now + visibilityMs)).toISOString(),
        })),
      },
      200,
    );
  })
  .openapi(heartbeat, async (c) => {
    const { id } = c.req.valid("param");
    const { leaseId, visibilityMs, progress } = c.req.valid("json");
    await assertJobVisible(c, id);
    const now = Date.now();
    const until = new Date(now + visibilityMs);
    const job = await extendLease(c.var.db, id, leaseId, until, progress, new Date(now));
    if (!job) throw stale(id, leaseId);
    const extended = await schedulerFor(c.env, job.queue).extend([{ id, lease: leaseId, deadline: until.getTime() }]);
    if (!extended.includes(id)) throw stale(id, leaseId);
    return c.json({ id, leaseId: String(leaseId), leaseExpiresAt: until.toISOString() }, 200);
  })
  .openapi(complete, async (c) => {
    const { id } = c.req.valid("param");
    const { leaseId, result } = c.req.valid("json") as z.output<typeof completeInput>;
    const job = await jobOr404(c, id);
    const execution: Execution = { ok: true, result: result ?? null, durationMs: Date.now() - (job.startedAt?.getTime() ?? Date.now()) };
    if (!(await reportPulledOutcome(c.env, c.var.db, job, leaseId, execution, c.var.defer))) throw stale(id, leaseId);
    return c.json(await current(c, id), 200);
  })
  .openapi(fail, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json") as z.output<typeof failInput>;
    const job = await jobOr404(c, id);
    const execution: Execution = {
      ok: false,
      error: { ...input.error, retryable: input.retryable },
      timedOut: input.timedOut,
      retryAfterMs: input.retryAfterMs ?? null,
      durationMs: Date.now() - (job.startedAt?.getTime() ?? Date.now()),
    };
    if (!(await reportPulledOutcome(c.env, c.var.db, job, input.leaseId, execution, c.var.defer))) throw stale(id, input.leaseId);
    return c.json(await current(c, id), 200);
  })
  .openapi(release, async (c) => {
    const { id } = c.req.valid("param");
    const { leaseId } = c.req.valid("json");
    await assertJobVisible(c, id);
    const job = await releaseJob(c.var.db, id, leaseId, new Date());
    if (!job) throw stale(id, leaseId);
    await reportToSchedulers(c.env, [
      { queue: job.queue, report: { kind: "retry", lease: leaseId, ...enqueueItem(job) } },
    ]);
    return c.json(presentJob(job), 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type PullRouteDefs = { lease: typeof lease; heartbeat: typeof heartbeat; complete: typeof complete; fail: typeof fail; release: typeof release };
