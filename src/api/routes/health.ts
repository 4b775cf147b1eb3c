import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";

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

/** `GET /health` and `/healthz`: 200 when Postgres and the scheduler answer, else 503. */
export async function health(c: Context<AppEnv>) {
  const [postgres, scheduler] = await Promise.all([
    probe(() => c.var.db.execute(sql`select 1`)),
    probe(() => schedulerFor(c.env, "default").stats()),
  ]);
  const ok = postgres.ok && scheduler.ok;
  return c.json({ status: ok ? "ok" : "unavailable", postgres, scheduler }, ok ? 200 : 503);
}
