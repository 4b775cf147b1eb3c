import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { fitFromHistory, MIN_TRAINING_SAMPLES } from "../../cron/fit-predictor";
import { getJob } from "../../db/queries/get-job";
import { latestModel } from "../../db/queries/predictor";
import { queueLoad, queuePosition } from "../../db/queries/queue-load";
import { getQueue } from "../../db/queries/queues";
import { QUEUE_DEFAULTS } from "../../core/queue-defaults";
import { estimateEta } from "../../insights/capacity";
import { predictSuccess } from "../../insights/predictor";
import type { AppEnv } from "../app-env";
import { assertQueueUsable } from "../tenant-guard";
import { tenantOf } from "../auth";
import { ApiError, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { etaSchema, predictionSchema } from "../schemas/capacity-responses";
import { jobIdSchema, queueNameSchema } from "../schemas/common";

/** Recent durations and throughput are measured over this window. */
const LOAD_WINDOW_MS = 15 * 60_000;

const predictBodySchema = z.strictObject({
  type: z.string().min(1).max(200),
  queue: queueNameSchema.default("default"),
  payload: z.unknown().optional(),
  payloadBytes: z.number().int().min(0).optional().openapi({ description: "The payload's size, when the payload itself is not sent." }),
  backlog: z.number().int().min(0).optional().openapi({ description: "Jobs waiting ahead; the queue's current backlog when omitted." }),
  attempt: z.number().int().min(1).default(1),
});

const predict = createRoute({
  method: "post",
  path: "/predict-success",
  tags: ["predictions"],
  summary: "The probability that a job like this succeeds, from the attempt history",
  ...access("read", 1024 * 1024),
  request: { body: jsonRequest(predictBodySchema) },
  responses: { 200: jsonResponse(predictionSchema, "The prediction and what drove it."), ...errors(400, 409, 413, 415) },
});

const eta = createRoute({
  method: "get",
  path: "/{id}/eta",
  tags: ["predictions"],
  summary: "When a queued job should start and finish",
  ...access("read"),
  request: { params: z.object({ id: jobIdSchema }) },
  responses: { 200: jsonResponse(etaSchema, "The estimate."), ...errors(400, 404, 409) },
});

/** Predictions about jobs; mounted under /api/v1/jobs beside the jobs API. */
export const predictionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(predict, async (c) => {
    const body = c.req.valid("json");
    const now = Date.now();
    const fitted = (await latestModel(c.var.db)) ?? (await fitFromHistory(c.var.db, now));
    if (!fitted) throw new ApiError(409, "not_enough_history", `the predictor needs at least ${MIN_TRAINING_SAMPLES} finished attempts in the last 24 hours`);
    await assertQueueUsable(c, body.queue);
    const queue = await getQueue(c.var.db, body.queue);
    const backlog = body.backlog ?? (await queueLoad(c.var.db, body.queue, queue?.concurrency ?? QUEUE_DEFAULTS.concurrency, new Date(now), LOAD_WINDOW_MS)).backlog;
    const payloadBytes = body.payloadBytes ?? new TextEncoder().encode(JSON.stringify(body.payload ?? {})).byteLength;
    const features = { type: body.type, queue: body.queue, payloadBytes, backlog, attempt: body.attempt };
    const { probability, drivers } = predictSuccess(fitted.model, features);
    return c.json({ probability, drivers, features, model: { trainedAt: fitted.trainedAt.toISOString(), samples: fitted.model.samples, baseRate: fitted.model.baseRate } }, 200);
  })
  .openapi(eta, async (c) => {
    const { id } = c.req.valid("param");
    const found = await getJob(c.var.db, id, tenantOf(c));
    if (!found) throw notFound("job", id);
    const position = await queuePosition(c.var.db, id);
    if (position === null) throw new ApiError(409, "job_not_queued", `job ${id} is ${found.job.state}, not queued`, { id, state: found.job.state });
    const queue = await getQueue(c.var.db, found.job.queue);
    const now = Date.now();
    const load = await queueLoad(c.var.db, found.job.queue, queue?.concurrency ?? QUEUE_DEFAULTS.concurrency, new Date(now), LOAD_WINDOW_MS);
    // With no recent runs, the job's own timeout is the only bound on its duration.
    const meanDurationMs = load.serviceMs > 0 ? load.serviceMs : found.job.timeoutMs;
    const estimate = estimateEta(position, { ...load, serviceMs: meanDurationMs }, now);
    return c.json(
      {
        id,
        queue: found.job.queue,
        position,
        effectiveConcurrency: estimate.effectiveConcurrency,
        meanDurationMs,
        startsAt: estimate.startsAt.toISOString(),
        finishesAt: estimate.finishesAt.toISOString(),
      },
      200,
    );
  });

/** The route definitions, whose schemas give the typed client its types. */
export type PredictionRouteDefs = { predict: typeof predict; eta: typeof eta };
