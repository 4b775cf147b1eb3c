import { exhaustedByLostLeases } from "../consumer/decide-outcome";
import type { Execution } from "../consumer/execute-job";
import { finalRefusalReports, reportToSchedulers } from "../consumer/report";
import { writeOutcomes } from "../consumer/write-outcomes";
import type { Db } from "../db/client";
import { claimJobs } from "../db/queries/claim-jobs";
import { countWorkerOutcome } from "../db/queries/workers";
import type { JobRow, QueueRow } from "../db/schema";
import type { Env } from "../env";
import { schedulerFor } from "../scheduler/stub";
import { schedulerConfig } from "./enqueue";

/**
 * Leases up to `count` jobs of a pull queue to a worker: the queue's scheduler picks them (priority,
 * concurrency and pause hold as for pushed jobs), then one claim statement opens their attempts
 * with `workerId` as the runner. A job whose runners all died holding it is dead-lettered here,
 * through the outcome path, instead of being handed out again.
 */
export async function leaseJobs(env: Env, db: Db, queue: QueueRow, count: number, visibilityMs: number, workerId: string, defer: (work: Promise<void>) => void): Promise<JobRow[]> {
  const leases = await schedulerFor(env, queue.name).lease(queue.name, count, visibilityMs, schedulerConfig(queue));
  if (leases.length === 0) return [];
  const { claimed, refused } = await claimJobs(db, leases.map((l) => ({ id: l.id, lease: l.lease, deadline: new Date(l.deadline) })), new Date(), workerId, "leased");
  await reportToSchedulers(env, finalRefusalReports(refused, () => queue.name));
  const exhausted = claimed.flatMap((job) => {
    const execution = exhaustedByLostLeases(job);
    return execution ? [{ job, execution }] : [];
  });
  if (exhausted.length > 0) await writeOutcomes(env, db, exhausted, defer);
  return claimed.filter((job) => !exhausted.some((e) => e.job.id === job.id));
}

/**
 * A pull worker's outcome for the job it holds, through the same outcome path as the consumer's:
 * null when the lease is not the job's current one (it expired and another worker has the job).
 */
export async function reportPulledOutcome(env: Env, db: Db, job: JobRow, lease: number, execution: Execution, defer: (work: Promise<void>) => void): Promise<boolean> {
  if (job.state !== "running" || job.leaseSeq !== lease) return false;
  const { applied } = await writeOutcomes(env, db, [{ job, execution }], defer);
  if (!applied.has(job.id)) return false;
  await countWorkerOutcome(db, job.id, job.attempt, execution.ok);
  return true;
}
