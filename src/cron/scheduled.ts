import type { Env } from "../env";
import * as reconciler from "./reconciler";

/** Everything the Cron Trigger runs each minute; each duty is a plain `runOnce(env, now)`. */
export async function runScheduledDuties(env: Env, now: number): Promise<void> {
  const report = await reconciler.runOnce(env, now);
  if (report.rebuilt.length > 0 || report.failed.length > 0) console.log("edgeq: reconciler", JSON.stringify(report));
}
