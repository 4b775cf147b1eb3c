import { claimJobs, type Delivery, type Refusal } from "../db/queries/claim-jobs";
import { recordOutcomes, type AttemptResult } from "../db/queries/record-outcomes";
import type { JobRow } from "../db/schema";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { JobHandler } from "../handlers/types";
import { isFinal } from "../core/states";
import { schedulerFor } from "../scheduler/stub";
import type { LeaseReport } from "../scheduler/types";
import { decideOutcome, exhaustedByLostLeases } from "./decide-outcome";
import { executeJob } from "./execute-job";
import type { JobMessage } from "./job-message";

export interface BatchSummary {
  claimed: number;
  refused: number;
  completed: number;
  retried: number;
  dead: number;
}

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
    return { kind: "retry", id: job.id, lease: result.lease, priority: job.priority, runAt: result.runAt.getTime(), timeoutMs: job.timeoutMs };
  }
  return { kind: "drop", id: job.id, lease: result.lease };
}

/**
 * The consumer's work on one batch: claim every job in one statement, run the handlers
 * concurrently under their timeouts, write every outcome in one statement, then tell each queue's
 * scheduler. A stale or duplicate delivery changes nothing. Throws only if Postgres is unreachable.
 */
export async function processBatch(
  env: Env,
  db: Db,
  messages: JobMessage[],
  handlers: ReadonlyMap<string, JobHandler>,
  runner: string,
): Promise<BatchSummary> {
  const deliveries = newestDeliveries(messages);
  const queueOf = new Map(deliveries.map((d) => [d.id, d.queue]));
  const { claimed, refused } = await claimJobs(db, deliveries, new Date(), runner);

  const executions = await Promise.all(claimed.map(async (job) => exhaustedByLostLeases(job) ?? executeJob(job, handlers)));
  const now = Date.now();
  const results = claimed.map((job, i) => decideOutcome(job, executions[i]!, now));
  const applied = await recordOutcomes(db, results, new Date(now));

  const reports = new Map<string, LeaseReport[]>();
  const addReport = (queue: string | undefined, report: LeaseReport | null) => {
    if (!queue || !report) return;
    reports.set(queue, [...(reports.get(queue) ?? []), report]);
  };
  claimed.forEach((job, i) => {
    if (applied.has(job.id)) addReport(job.queue, reportFor(job, results[i]!));
  });
  for (const refusal of refused) addReport(queueOf.get(refusal.id), dropIfFinal(refusal));
  // Postgres already holds the outcomes; a scheduler that misses a report recovers by lease expiry.
  await Promise.all(
    [...reports].map(([queue, list]) =>
      schedulerFor(env, queue)
        .report(queue, list)
        .catch((error: unknown) => console.error(`edgeq: reporting ${list.length} outcomes to scheduler ${queue} failed`, error)),
    ),
  );

  const appliedResults = results.filter((r) => applied.has(r.id));
  return {
    claimed: claimed.length,
    refused: refused.length,
    completed: appliedResults.filter((r) => r.state === "completed").length,
    retried: appliedResults.filter((r) => r.state === "scheduled").length,
    dead: appliedResults.filter((r) => r.state === "dead").length,
  };
}
