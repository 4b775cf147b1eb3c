import { claimJobs, type Delivery, type Refusal } from "../db/queries/claim-jobs";
import { recordOutcomes, type AttemptResult } from "../db/queries/record-outcomes";
import type { JobRow } from "../db/schema";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { HandlerLookup } from "../handlers/types";
import { isFinal } from "../core/states";
import { afterFinal } from "../flow/after-final";
import { recordFailureInsights, type FailedAttempt } from "../insights/explain-failures";
import { outcomeEvents } from "../live/events";
import { publish } from "../live/publish";
import { enqueueItem } from "../scheduler/enqueue-item";
import { schedulerFor } from "../scheduler/stub";
import type { LeaseReport } from "../scheduler/types";
import { decideOutcome, exhaustedByLostLeases } from "./decide-outcome";
import { executeJob, type Execution } from "./execute-job";
import { retryAdviceFor } from "./retry-advice";
import type { JobMessage } from "./job-message";
import { log } from "../log";

/** One delivery per job: a batch may hold a job twice; only its newest lease can win anyway. */
function newestDeliveries(messages: JobMessage[]): (Delivery & { queue: string })[] {
  const byId = new Map<string, Delivery & { queue: string }>();
  for (const m of messages) {
    const seen = byId.get(m.id);
    if (!seen || seen.lease < m.l) byId.set(m.id, { id: m.id, lease: m.l, queue: m.q });
  }
  return [...byId.values()];
}

/** A refused delivery whose job is final (or gone) tells the scheduler to forget it. */
function dropIfFinal(refusal: Refusal): LeaseReport | null {
  return refusal.state === null || isFinal(refusal.state) ? { id: refusal.id, lease: refusal.lease, kind: "drop" } : null;
}

function reportFor(job: JobRow, result: AttemptResult): LeaseReport {
  if (result.state === "scheduled" && result.runAt) {
    return { kind: "retry", lease: result.lease, ...enqueueItem({ ...job, runAt: result.runAt }) };
  }
  return { kind: "drop", id: job.id, lease: result.lease };
}

/** Outcomes that finish within this long of each other are written together. */
const FLUSH_AFTER_MS = 20;

/**
 * The consumer's work on one batch: claim every job in one statement, run the handlers
 * concurrently under their timeouts, and write outcomes in one statement per group that finishes
 * together (a slow job never holds back the fast ones), telling each queue's scheduler after each
 * write. A stale or duplicate delivery changes nothing. Throws only if Postgres is unreachable.
 * Work off the jobs' path (failure insights) goes to `defer`, the invocation's `waitUntil`.
 */
export async function processBatch(
  env: Env,
  db: Db,
  messages: JobMessage[],
  handlers: HandlerLookup,
  runner: string,
  defer: (work: Promise<void>) => void,
): Promise<void> {
  const deliveries = newestDeliveries(messages);
  const queueOf = new Map(deliveries.map((d) => [d.id, d.queue]));
  const { claimed, refused } = await claimJobs(db, deliveries, new Date(), runner);
  await report(env, refused.flatMap((r) => {
    const drop = dropIfFinal(r);
    const queue = queueOf.get(r.id);
    return drop && queue ? [{ queue, report: drop }] : [];
  }));

  const started = Date.now();
  const writes: Promise<Tally>[] = [];
  let finished: { job: JobRow; execution: Execution }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (finished.length === 0) return;
    const write = complete(env, db, finished, defer);
    finished = [];
    // Awaited below; marked handled now so a failure is not reported as unhandled meanwhile.
    write.catch(() => undefined);
    writes.push(write);
  };
  await Promise.all(
    claimed.map(async (job) => {
      const execution = exhaustedByLostLeases(job) ?? (await executeJob(job, handlers));
      finished.push({ job, execution });
      timer ??= setTimeout(flush, FLUSH_AFTER_MS);
    }),
  );
  flush();
  const tallies = await Promise.all(writes);
  const tally = (key: keyof Tally) => tallies.reduce((n, t) => n + t[key], 0);
  await publish(env, [
    {
      type: "worker.batch",
      runner,
      queues: [...new Set(deliveries.map((d) => d.queue))],
      jobs: claimed.length,
      completed: tally("completed"),
      failed: tally("failed"),
      durationMs: Date.now() - started,
      at: Date.now(),
    },
  ]);
}

/** Outcomes of one write that took effect. */
interface Tally {
  completed: number;
  failed: number;
}

/** Writes a group of outcomes in one statement, then reports and publishes the ones that took effect. */
async function complete(env: Env, db: Db, group: { job: JobRow; execution: Execution }[], defer: (work: Promise<void>) => void): Promise<Tally> {
  const now = Date.now();
  const advice = await retryAdviceFor(db, group, now);
  const results = group.map(({ job, execution }) => decideOutcome(job, execution, now, Math.random, advice.get(job.id)));
  const applied = await recordOutcomes(db, results, new Date(now));
  const failures = group.flatMap(({ job, execution }): FailedAttempt[] =>
    !execution.ok && applied.has(job.id) ? [{ job, error: execution.error, timedOut: execution.timedOut }] : [],
  );
  if (failures.length > 0) defer(recordFailureInsights(env, failures, now));
  const finished = group.flatMap(({ job }, i) => {
    const took = applied.get(job.id);
    return took && results[i]!.state !== "scheduled" ? [{ id: job.id, batchId: job.batchId, hasDependents: took.hasDependents }] : [];
  });
  await Promise.all([
    report(env, group.flatMap(({ job }, i) => (applied.has(job.id) ? [{ queue: job.queue, report: reportFor(job, results[i]!) }] : []))),
    publish(env, outcomeEvents(group.map(({ job }, i) => ({ job, result: results[i]! })), applied, now)),
    // Dependents and batches are repaired by the cron sweep if this fails; the outcomes stand.
    finished.some((j) => j.hasDependents || j.batchId)
      ? afterFinal(env, db, finished, new Date(now)).catch((error: unknown) => log("error", "releasing dependents or completing batches failed", { jobs: finished.length }, error))
      : undefined,
  ]);
  const took = results.filter((r) => applied.has(r.id));
  return { completed: took.filter((r) => r.state === "completed").length, failed: took.filter((r) => r.state !== "completed").length };
}

/**
 * Tells each queue's scheduler, one call per queue. Postgres already holds the outcomes, so a
 * scheduler that misses a report recovers by lease expiry.
 */
async function report(env: Env, reports: { queue: string; report: LeaseReport }[]): Promise<void> {
  const byQueue = Map.groupBy(reports, (r) => r.queue);
  await Promise.all(
    [...byQueue].map(([queue, list]) =>
      schedulerFor(env, queue)
        .report(queue, list.map((r) => r.report))
        .catch((error: unknown) => log("error", "reporting outcomes to the scheduler failed", { queue, outcomes: list.length }, error)),
    ),
  );
}
