import type { Env } from "../env";
import * as schedules from "../schedules/run-once";
import * as anomalies from "./detect-anomalies";
import * as flow from "./flow-sweep";
import * as workers from "./forget-workers";
import * as predictor from "./fit-predictor";
import * as reconciler from "./reconciler";
import * as retention from "./retention";
import * as webhookSweep from "./webhook-sweep";
import { log } from "../log";

/** Runs one duty, logging what it did when it did something; a failing duty never stops the others. */
async function run<T>(name: string, duty: () => Promise<T>, notable: (report: T) => boolean): Promise<void> {
  try {
    const report = await duty();
    if (notable(report)) log("info", `${name} ran`, { duty: name, report });
  } catch (error) {
    log("error", `${name} failed`, { duty: name }, error);
  }
}

/**
 * Everything the Cron Trigger runs each minute; each duty is a plain `runOnce(env, now)`. Schedules
 * and the flow sweep (waiting jobs released) go first, so the reconciler then finds their jobs
 * already held.
 */
export async function runScheduledDuties(env: Env, now: number): Promise<void> {
  await run("schedules", () => schedules.runOnce(env, now), (r) => r.fired.some((f) => f.jobs > 0) || r.failed.length > 0);
  await run("flow sweep", () => flow.runOnce(env, now), (r) => r.released + r.cancelled + r.batches > 0);
  await run("reconciler", () => reconciler.runOnce(env, now), (r) => r.rebuilt.length > 0 || r.failed.length > 0);
  await run("retention", () => retention.runOnce(env, now), (r) => Object.values(r).some((n) => n > 0));
  await run("anomaly detection", () => anomalies.runOnce(env, now), (r) => r.anomalies > 0);
  await run("success predictor", () => predictor.runOnce(env, now), () => false);
  await run("worker registry", () => workers.runOnce(env, now), (r) => r.forgotten > 0);
  await run("webhook sweep", () => webhookSweep.runOnce(env, now), (r) => r.resent > 0);
}
