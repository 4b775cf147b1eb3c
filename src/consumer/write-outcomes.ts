import { recordOutcomes, type AttemptResult } from "../db/queries/record-outcomes";
import type { JobRow } from "../db/schema";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { afterFinal } from "../flow/after-final";
import { recordFailureInsights, type FailedAttempt } from "../insights/explain-failures";
import { outcomeEvents } from "../live/events";
import { publish } from "../live/publish";
import { log } from "../log";
import { enqueueItem } from "../scheduler/enqueue-item";
import type { LeaseReport } from "../scheduler/types";
import { toMatch } from "../webhooks/dispatch";
import { sendDeliveries } from "../webhooks/send";
import { outcomeWebhookEvents } from "../webhooks/job-events";
import { decideOutcome } from "./decide-outcome";
import type { Execution } from "./execute-job";
import { reportToSchedulers } from "./report";
import { retryAdviceFor } from "./retry-advice";

/** Outcomes of one write that took effect. */
export interface Tally {
  completed: number;
  failed: number;
  /** Ids whose outcome was written (the others had lost their lease). */
  applied: ReadonlySet<string>;
}

function reportFor(job: JobRow, result: AttemptResult): LeaseReport {
  if (result.state === "scheduled" && result.runAt) {
    return { kind: "retry", lease: result.lease, ...enqueueItem({ ...job, runAt: result.runAt }) };
  }
  return { kind: "drop", id: job.id, lease: result.lease };
}

/**
 * The one outcome path, for the in-Worker consumer and pull workers alike: decides each attempt's
 * outcome (retry at backoff, dead, completed), writes the group in one statement (rollups included),
 * then tells the schedulers, publishes live events, and releases dependents and completes batches
 * for the ones that took effect. Failure insights and webhooks go to `defer`, off the jobs' path.
 * `smartQueues`, when the caller's claim named them, spares fixed-policy queues the retry advice.
 */
export async function writeOutcomes(
  env: Env,
  db: Db,
  group: { job: JobRow; execution: Execution }[],
  defer: (work: Promise<void>) => void,
  smartQueues?: ReadonlySet<string>,
): Promise<Tally> {
  const now = Date.now();
  const advice = await retryAdviceFor(db, group, now, smartQueues);
  const results = group.map(({ job, execution }) => decideOutcome(job, execution, now, Math.random, advice.get(job.id)));
  const outcomes = group.map(({ job }, i) => ({ job, result: results[i]! }));
  const webhookEvents = outcomeWebhookEvents(outcomes, now).map(toMatch);
  const { applied, deliveries } = await recordOutcomes(db, results, new Date(now), webhookEvents);
  const failures = group.flatMap(({ job, execution }): FailedAttempt[] =>
    !execution.ok && applied.has(job.id) ? [{ job, error: execution.error, timedOut: execution.timedOut }] : [],
  );
  if (failures.length > 0) defer(recordFailureInsights(env, failures, now));
  // Filed with the outcomes; a failed hand-off to the queue is sent again by the webhook sweep.
  if (deliveries.length > 0) defer(sendDeliveries(env, db, deliveries, new Date(now)).catch((error: unknown) => log("error", "webhook deliveries were not handed to the queue", { deliveries: deliveries.length }, error)));
  const finished = group.flatMap(({ job }, i) => {
    const took = applied.get(job.id);
    return took && results[i]!.state !== "scheduled" ? [{ id: job.id, batchId: job.batchId, hasDependents: took.hasDependents }] : [];
  });
  await Promise.all([
    reportToSchedulers(env, group.flatMap(({ job }, i) => (applied.has(job.id) ? [{ queue: job.queue, report: reportFor(job, results[i]!) }] : []))),
    publish(env, outcomeEvents(outcomes, applied, now)),
    // Dependents and batches are repaired by the cron sweep if this fails; the outcomes stand.
    finished.some((j) => j.hasDependents || j.batchId)
      ? afterFinal(env, db, finished, new Date(now)).catch((error: unknown) => log("error", "releasing dependents or completing batches failed", { jobs: finished.length }, error))
      : undefined,
  ]);
  const took = results.filter((r) => applied.has(r.id));
  return {
    completed: took.filter((r) => r.state === "completed").length,
    failed: took.filter((r) => r.state !== "completed").length,
    applied: new Set(applied.keys()),
  };
}
