import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { queueLoad, slowJobTypes } from "../../db/queries/queue-load";
import { getQueue } from "../../db/queries/queues";
import { recommendConcurrency, slowJobSuggestion } from "../../insights/capacity";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { visibleQueue } from "../tenant-guard";
import { notFound } from "../errors";
import { access, errors, jsonResponse } from "../openapi/route-kit";
import { scalingSchema, slowJobsSchema } from "../schemas/capacity-responses";
import { isoTimeSchema, limitSchema, queueNameSchema } from "../schemas/common";

const scaling = createRoute({
  method: "get",
  path: "/{name}/scaling",
  tags: ["queues"],
  summary: "The concurrency that meets a latency target, from measured arrival and service rates",
  ...access("read"),
  request: {
    params: z.object({ name: queueNameSchema }),
    query: z.strictObject({
      targetLatencyMs: z.coerce.number().int().min(1).max(86_400_000).default(60_000),
      windowMinutes: z.coerce.number().int().min(1).max(1440).default(15),
    }),
  },
  responses: { 200: jsonResponse(scalingSchema, "The advice and its reasoning."), ...errors(400, 404) },
});

const slowJobs = createRoute({
  method: "get",
  path: "/slow-jobs",
  tags: ["analytics"],
  summary: "The slowest job types by p95 duration, each with a suggestion",
  ...access("read"),
  request: {
    query: z.strictObject({ since: isoTimeSchema.optional(), queue: queueNameSchema.optional(), limit: limitSchema(100, 10) }),
  },
  responses: { 200: jsonResponse(slowJobsSchema, "Slow job types, slowest first."), ...errors(400) },
});

/** Queue sizing; mounted under /api/v1/queues beside the queues API. */
export const scalingRoutes = new OpenAPIHono<AppEnv>().openapi(scaling, async (c) => {
  const { name } = c.req.valid("param");
  const { targetLatencyMs, windowMinutes } = c.req.valid("query");
  const queue = await visibleQueue(c, name);
  const windowMs = windowMinutes * 60_000;
  const load = await queueLoad(c.var.db, name, queue.concurrency, new Date(), windowMs);
  const advice = recommendConcurrency(load, targetLatencyMs);
  return c.json(
    {
      queue: name,
      targetLatencyMs,
      windowMs,
      currentConcurrency: queue.concurrency,
      recommendedConcurrency: advice.recommended,
      utilisation: advice.utilisation,
      measured: { arrivalPerSec: load.arrivalPerSec, serviceMs: load.serviceMs, attemptsPerJob: load.attemptsPerJob, throughputPerSec: load.throughputPerSec, backlog: load.backlog },
      reasoning: advice.reasoning,
    },
    200,
  );
});

/** The slow-jobs report; mounted under /api/v1/analytics beside the rollup analytics. */
export const slowJobRoutes = new OpenAPIHono<AppEnv>().openapi(slowJobs, async (c) => {
  const q = c.req.valid("query");
  const since = q.since ? new Date(q.since) : new Date(Date.now() - 24 * 3_600_000);
  const types = await slowJobTypes(c.var.db, since, q.limit, q.queue, tenantOf(c));
  return c.json({ since: since.toISOString(), types: types.map((t) => ({ ...t, suggestion: slowJobSuggestion(t) })) }, 200);
});

/** The route definitions, whose schemas give the typed client its types. */
export type CapacityRouteDefs = { scaling: typeof scaling; slowJobs: typeof slowJobs };
