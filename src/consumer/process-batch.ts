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
import { executeJob, type Execution } from "./execute-job";
import type { JobMessage } from "./job-message";

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

/** Outcomes that finish within this long of each other are written together. */
const FLUSH_AFTER_MS = 20;

/**
 * The consumer's work on one batch: claim every job in one statement, run the handlers
 * concurrently under their timeouts, and write outcomes in one statement per group that finishes
 * together (a slow job never holds back the fast ones), telling each queue's scheduler after each
 * write. A stale or duplicate delivery changes nothing. Throws only if Postgres is unreachable.
 */
export async function processBatch(env: Env, db: Db, messages: JobMessage[], handlers: ReadonlyMap<string, JobHandler>, runner: string): Promise<void> {
  const deliveries = newestDeliveries(messages);
  const queueOf = new Map(deliveries.map((d) => [d.id, d.queue]));
  const { claimed, refused } = await claimJobs(db, deliveries, new Date(), runner);
  await report(env, refused.flatMap((r) => {
    const drop = dropIfFinal(r);
    const queue = queueOf.get(r.id);
    return drop && queue ? [{ queue, report: drop }] : [];
  }));

  const writes: Promise<void>[] = [];
  let finished: { job: JobRow; execution: Execution }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (finished.length === 0) return;
    const write = complete(env, db, finished);
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
  await Promise.all(writes);
}

/** Writes a group of outcomes in one statement, then reports the ones that took effect. */
async function complete(env: Env, db: Db, group: { job: JobRow; execution: Execution }[]): Promise<void> {
  if (group.length === 0) return;
  const now = Date.now();
  const results = group.map(({ job, execution }) => decideOutcome(job, execution, now));
  const applied = await recordOutcomes(db, results, new Date(now));
  await report(
    env,
    group.flatMap(({ job }, i) => (applied.has(job.id) ? [{ queue: job.queue, report: reportFor(job, results[i]!) }] : [])),
  );
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
        .catch((error: unknown) => console.error(`edgeq: reporting ${list.length} outcomes to scheduler ${queue} failed`, error)),
    ),
  );
}
