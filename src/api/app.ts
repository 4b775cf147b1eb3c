import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { openDb } from "../db/client";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";
import { compatRoutes } from "./routes/compat";
import { dlqRoutes } from "./routes/dlq";
import { health } from "./routes/health";
import { jobRoutes } from "./routes/jobs";
import { queueRoutes } from "./routes/queues";

/** The HTTP API. Every error leaves as `{"error": {"code", "message", "details"}}`. */
export const app = new Hono<AppEnv>();

// One pool per request: the Workers runtime forbids sharing sockets across requests.
app.use("*", async (c, next) => {
  const { db, close } = openDb(c.env);
  c.set("db", db);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(close().catch(() => undefined));
  }
});

app.get("/health", health);
app.get("/healthz", health);
app.route("/api/v1/jobs", jobRoutes);
app.route("/api/v1/dlq", dlqRoutes);
app.route("/api/v1/queues", queueRoutes);
app.route("/", compatRoutes);

app.notFound((c) => c.json(new ApiError(404, "route_not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`).toBody(), 404));

app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(error.toBody(), error.status);
  if (error instanceof HTTPException) {
    return c.json(new ApiError(error.status as ApiError["status"], error.status === 413 ? "payload_too_large" : "validation_failed", error.message).toBody(), error.status);
  }
  console.error(`edgeq: ${c.req.method} ${c.req.url} failed`, error);
  return c.json(new ApiError(500, "internal", "internal error; the request may be retried").toBody(), 500);
});
