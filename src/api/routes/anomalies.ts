import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listAnomalies } from "../../db/queries/anomalies";
import type { AnomalyRow } from "../../db/schema";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { access, errors, jsonResponse } from "../openapi/route-kit";
import { isoTimeSchema, limitSchema, queueNameSchema } from "../schemas/common";
import { cursorSchema, encodeCursor } from "../schemas/list-query";
import { anomalySchema } from "../schemas/responses";
import { ANOMALY_METRICS } from "../../insights/anomaly";


function presentAnomaly(a: AnomalyRow): z.infer<typeof anomalySchema> {
  return { id: a.id, queue: a.queue, metric: a.metric, value: a.value, baselineMean: a.baselineMean, baselineStd: a.baselineStd, zScore: a.zScore, message: a.message, detectedAt: a.detectedAt.toISOString() };
}

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["anomalies"],
  summary: "Anomalies the cron tick found (failure rate, latency, backlog growth against each queue's baseline), newest first",
  ...access("read"),
  request: {
    query: z.strictObject({
      queue: queueNameSchema.optional(),
      metric: z.enum(ANOMALY_METRICS).optional(),
      since: isoTimeSchema.optional(),
      limit: limitSchema(500, 50),
      cursor: cursorSchema.optional(),
    }),
  },
  responses: { 200: jsonResponse(z.object({ anomalies: z.array(anomalySchema), nextCursor: z.string().nullable() }), "A page of anomalies."), ...errors(400) },
});

export const anomalyRoutes = new OpenAPIHono<AppEnv>().openapi(list, async (c) => {
  const q = c.req.valid("query");
  const page = await listAnomalies(c.var.db, { tenant: tenantOf(c), queue: q.queue, metric: q.metric, since: q.since ? new Date(q.since) : undefined }, q.limit, q.cursor ?? null);
  return c.json({ anomalies: page.anomalies.map(presentAnomaly), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
});

/** The route definition, whose schemas give the typed client its types. */
export type AnomalyRouteDefs = { list: typeof list };
