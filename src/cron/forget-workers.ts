import { withDb } from "../db/client";
import { forgetSilentWorkers } from "../db/queries/workers";
import type { Env } from "../env";
import { workerEvent } from "../live/events";
import { publish } from "../live/publish";

/** A pull worker not heard from (heartbeat, lease) for this long is gone. */
export const WORKER_TTL_MS = 60_000;

/** Forgets the pull workers that stopped heart-beating, and says so on the live events. */
export async function runOnce(env: Env, now: number): Promise<{ forgotten: number }> {
  const gone = await withDb(env, (db) => forgetSilentWorkers(db, new Date(now - WORKER_TTL_MS)));
  await publish(env, gone.map((w) => workerEvent("worker.left", w, now, "silent")));
  return { forgotten: gone.length };
}
