import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { openDb } from "../db/client";
import type { AppEnv } from "./app-env";
import { requireApiKey } from "./auth";
import { ApiError, quotaError, takenError, validationError } from "./errors";
import { limitRequests } from "./rate-limit";
import { analyticsRoutes } from "./routes/analytics";
import { anomalyRoutes } from "./routes/anomalies";
import { scalingRoutes, slowJobRoutes } from "./routes/capacity";
import { planningRoutes } from "./routes/planning";
import { eventLogRoutes, jobEventRoutes } from "./routes/job-events";
import { compatRoutes } from "./routes/compat";
import { dlqRoutes } from "./routes/dlq";
import { docsRoutes, DOCS_PATH, OPENAPI_PATH } from "./routes/docs";
import { EVENTS_PATH, eventRoutes } from "./routes/events";
import { healthRoutes } from "./routes/health";
import { insightRoutes } from "./routes/insights";
import { jobBatchRoutes } from "./routes/job-batches";
import { jobRoutes } from "./routes/jobs";
import { keyRoutes } from "./routes/keys";
import { tenantRoutes } from "./routes/tenants";
import { mcpRoutes } from "./routes/mcp";
import { metricsRoutes } from "./routes/metrics";
import { predictionRoutes } from "./routes/predictions";
import { queueRoutes } from "./routes/queues";
import { rateLimitRoutes } from "./routes/rate-limits";
import { log } from "../log";
import { scheduleRoutes } from "./routes/schedules";
import { endpointRoutes, queueEndpointRoutes } from "./routes/endpoints";
import { pullRoutes } from "./routes/pull";
import { webhookRoutes } from "./routes/webhooks";
import { workerRoutes } from "./routes/workers";

const WHERE = { json: "request body", query: "query", param: "path parameter", header: "header", cookie: "cookie", form: "form" } as const;

/** The HTTP API. Every error leaves as `{"error": {"code", "message", "details"}}`. */
export const app = new OpenAPIHono<AppEnv>({
  defaultHook: (result) => {
    if (!result.success) throw validationError(result.error, WHERE[result.target as keyof typeof WHERE] ?? result.target);
  },
});

/** Paths anyone may call: probes and the API's own description. */
const PUBLIC_PATHS = new Set(["/health", "/healthz", OPENAPI_PATH, DOCS_PATH]);

// Every request gets an id (Cloudflare's ray id when there is one), echoed back and in every log
// line. Refused requests are logged; successful ones are counted by the metrics instead.
app.use("*", async (c, next) => {
  const requestId = c.req.header("x-request-id") ?? c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", requestId);
  const started = Date.now();
  await next();
  // A WebSocket upgrade's headers are fixed.
  if (c.res.status === 101) return;
  c.res.headers.set("x-request-id", requestId);
  if (c.res.status < 400) return;
  log(c.res.status >= 500 ? "error" : "warn", "request refused", {
    requestId,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Date.now() - started,
    key: c.var.principal?.name,
  });
});

// One pool per request: the Workers runtime forbids sharing sockets across requests.
app.use("*", async (c, next) => {
  const { db, close } = openDb(c.env);
  const deferred: Promise<void>[] = [];
  c.set("db", db);
  c.set("defer", (work) => deferred.push(work));
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(Promise.allSettled(deferred).then(() => close().catch(() => undefined)));
  }
});

app.use("*", async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : requireApiKey(c, next)));
app.use("*", limitRequests);

app.route("/", healthRoutes);
app.route("/api/v1/jobs", predictionRoutes);
app.route("/api/v1/jobs", jobRoutes);
app.route("/api/v1/jobs", jobEventRoutes);
app.route("/api/v1/job-batches", jobBatchRoutes);
app.route("/api/v1/rate-limits", rateLimitRoutes);
app.route("/api/v1/dlq", dlqRoutes);
app.route("/api/v1/queues", queueRoutes);
app.route("/api/v1/queues", scalingRoutes);
app.route("/api/v1/queues", queueEndpointRoutes);
app.route("/api/v1", pullRoutes);
app.route("/api/v1/webhooks", webhookRoutes);
app.route("/api/v1/endpoints", endpointRoutes);
app.route("/api/v1/workers", workerRoutes);
app.route("/api/v1/anomalies", anomalyRoutes);
app.route("/api/v1/keys", keyRoutes);
app.route("/api/v1/tenants", tenantRoutes);
app.route("/api/v1/analytics", analyticsRoutes);
app.route("/api/v1/analytics", slowJobRoutes);
app.route("/api/v1/analytics", planningRoutes);
app.route("/api/v1/insights", insightRoutes());
// The unversioned path existing insight clients call.
app.route("/api/insights", insightRoutes());
app.route(EVENTS_PATH, eventRoutes);
app.route(EVENTS_PATH, eventLogRoutes);
app.route("/api/v1/schedules", scheduleRoutes);
app.route("/", compatRoutes);
app.route("/", metricsRoutes);
app.route("/", docsRoutes(app));
app.route("/", mcpRoutes(app));

app.notFound((c) => c.json(new ApiError(404, "route_not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`).toBody(), 404));

app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(error.toBody(), error.status, error.headers);
  const refusal = quotaError(error, Date.now()) ?? takenError(error);
  if (refusal) return c.json(refusal.toBody(), refusal.status, refusal.headers);
  if (error instanceof HTTPException) {
    return c.json(new ApiError(error.status as ApiError["status"], error.status === 413 ? "payload_too_large" : "validation_failed", error.message).toBody(), error.status);
  }
  log("error", "request failed", { requestId: c.var.requestId, method: c.req.method, path: c.req.path }, error);
  return c.json(new ApiError(500, "internal", "internal error; the request may be retried").toBody(), 500);
});
