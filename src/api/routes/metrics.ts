import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bucketStart } from "../../core/time-buckets";
import { lifetimeTotals, queueActivity } from "../../db/queries/analytics";
import { edgeqMetrics } from "../../metrics/edgeq-metrics";
import { render } from "../../metrics/exposition";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { access, errors } from "../openapi/route-kit";

const metrics = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["operations"],
  summary: "Prometheus metrics",
  ...access("read"),
  responses: { 200: { description: "Prometheus text format 0.0.4.", content: { "text/plain": { schema: z.string() } } }, ...errors() },
});

export const metricsRoutes = new OpenAPIHono<AppEnv>().openapi(metrics, async (c) => {
  const now = Date.now();
  // A tenant's key scrapes its own queues only.
  const tenant = tenantOf(c);
  const [totals, queues] = await Promise.all([lifetimeTotals(c.var.db, tenant), queueActivity(c.var.db, new Date(bucketStart(now, "day")), tenant)]);
  return c.text(render(edgeqMetrics(totals, queues, now)), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
});
