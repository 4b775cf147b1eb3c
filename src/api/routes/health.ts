import { DEFAULT_QUEUE } from "../../core/tenancy";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";
import { jsonResponse } from "../openapi/route-kit";

/** Time a probe, turning any failure into `ok: false` with the reason. */
async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    await check();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  }
}

const probeSchema = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
const healthSchema = z.object({ status: z.enum(["ok", "unavailable"]), postgres: probeSchema, scheduler: probeSchema }).openapi("Health");

const healthRoute = (path: string) =>
  createRoute({
    method: "get",
    path,
    tags: ["health"],
    summary: "Whether Postgres and the scheduler answer (no key needed)",
    responses: { 200: jsonResponse(healthSchema, "Everything answers."), 503: jsonResponse(healthSchema, "Something does not answer.") },
  });

/** `GET /health` and `/healthz`: 200 when Postgres and the scheduler answer, else 503. */
export const healthRoutes = new OpenAPIHono<AppEnv>();
for (const path of ["/health", "/healthz"]) {
  healthRoutes.openapi(healthRoute(path), async (c) => {
    const [postgres, scheduler] = await Promise.all([
      probe(() => c.var.db.execute(sql`select 1`)),
      probe(() => schedulerFor(c.env, DEFAULT_QUEUE).stats()),
    ]);
    const ok = postgres.ok && scheduler.ok;
    const body = { status: ok ? ("ok" as const) : ("unavailable" as const), postgres, scheduler };
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
}

/** The route definition, whose schema gives the typed client its types. */
export type HealthRouteDef = ReturnType<typeof healthRoute>;
