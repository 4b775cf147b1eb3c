import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getJob } from "../../db/queries/get-job";
import { getInsight, insightForJob, listInsights } from "../../db/queries/insights";
import type { InsightRow } from "../../db/schema";
import { explainFailures } from "../../insights/explain-failures";
import type { AppEnv } from "../app-env";
import { ownsQueue } from "../tenant-guard";
import { tenantOf } from "../auth";
import { ApiError, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { jobIdSchema } from "../schemas/common";
import { analyzeBodySchema, listInsightsQuerySchema } from "../schemas/insight-query";
import { encodeCursor } from "../schemas/list-query";
import { insightPageSchema, insightSchema } from "../schemas/responses";

/** An insight in the snake_case shape insight clients read. */
export function presentInsight(i: InsightRow): z.infer<typeof insightSchema> {
  return {
    id: i.id,
    job_id: i.jobId,
    queue: i.queue,
    job_type: i.jobType,
    attempt: i.attempt,
    failure_category: i.failureCategory,
    suggested_action: i.suggestedAction,
    confidence_score: i.confidenceScore,
    reasoning: i.reasoning,
    eta_minutes: i.etaMinutes,
    scaling_recommendation: i.scalingRecommendation,
    source: i.source,
    model: i.model,
    ai_error: i.aiError,
    fingerprint: i.fingerprint,
    occurrences: i.occurrences,
    error: i.error,
    created_at: i.createdAt.toISOString(),
    last_seen_at: i.lastSeenAt.toISOString(),
  };
}

const tags = ["insights"];

const analyze = createRoute({
  method: "post",
  path: "/analyze",
  tags,
  summary: "Explain a job's newest failure (the insight it shares, or a new one)",
  ...access("producer", 16 * 1024),
  request: { body: jsonRequest(analyzeBodySchema) },
  responses: {
    200: jsonResponse(insightSchema, "The insight that already explains the failure."),
    201: jsonResponse(insightSchema, "A new insight."),
    ...errors(400, 404, 409, 413, 415),
  },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Insights, newest first, with filters and a cursor",
  ...access("read"),
  request: { query: listInsightsQuerySchema },
  responses: { 200: jsonResponse(insightPageSchema, "A page of insights."), ...errors(400) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One insight",
  ...access("read"),
  request: { params: z.object({ id: jobIdSchema }) },
  responses: { 200: jsonResponse(insightSchema, "The insight."), ...errors(400, 404) },
});

/** The insights API; mounted at /api/v1/insights and, for existing clients, /api/insights. */
export const insightRoutes = () =>
  new OpenAPIHono<AppEnv>()
    .openapi(analyze, async (c) => {
      const { job_id } = c.req.valid("json");
      const found = await getJob(c.var.db, job_id, tenantOf(c));
      if (!found) throw notFound("job", job_id);
      // One insight explains a failure for every job of its queue; in a shared queue those are several tenants' jobs.
      if (!(await ownsQueue(c, found.job.queue))) {
        throw new ApiError(403, "forbidden", `queue ${found.job.queue} is shared: its insights mix tenants' jobs and are the platform's`, { queue: found.job.queue });
      }
      const failed = found.attempts.findLast((a) => a.error);
      const error = failed?.error ?? found.job.lastError;
      if (!error) throw new ApiError(409, "job_not_failed", `job ${job_id} has no failed attempt to analyze`, { id: job_id, state: found.job.state });
      const attempt = failed?.attempt ?? found.job.attempt;
      const existing = await insightForJob(c.var.db, job_id, attempt);
      if (existing) return c.json(presentInsight(existing), 200);
      const [filed] = await explainFailures(c.env, c.var.db, [{ job: { ...found.job, attempt }, error, timedOut: failed?.outcome === "timeout" }], Date.now());
      const insight = filed && (await getInsight(c.var.db, filed.id));
      if (!insight) throw new Error(`insight for job ${job_id} was filed but cannot be read`);
      return c.json(presentInsight(insight), filed.created ? 201 : 200);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid("query");
      const filter = { tenant: tenantOf(c), queue: q.queue, jobType: q.type, jobId: q.job_id, category: q.category, action: q.action, source: q.source, since: q.since, until: q.until };
      const page = await listInsights(c.var.db, filter, q.limit, q.cursor ?? null);
      return c.json({ insights: page.insights.map(presentInsight), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid("param");
      const insight = await getInsight(c.var.db, id);
      if (!insight || !(await ownsQueue(c, insight.queue))) throw notFound("insight", id);
      return c.json(presentInsight(insight), 200);
    });

/** The route definitions, whose schemas give the typed client its types. */
export type InsightRouteDefs = { analyze: typeof analyze; list: typeof list; get: typeof get };
