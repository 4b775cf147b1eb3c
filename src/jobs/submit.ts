import type { Db } from "../db/client";
import { completeBatches } from "../db/queries/complete-batches";
import { insertJobs, type NewJob } from "../db/queries/insert-jobs";
import { insertBatch, setBatchTotal } from "../db/queries/job-batches";
import type { JobBatchRow, JobRow, QueueRow } from "../db/schema";
import type { Env } from "../env";
import { onBatchCompleted } from "../batches/on-batch-completed";
import { settleWaiting } from "../flow/after-final";
import { enqueueItem } from "../scheduler/enqueue-item";
import { schedulerFor } from "../scheduler/stub";
import { log } from "../log";
import type { TenantId } from "../core/tenancy";
import { enqueueStored, schedulerConfig } from "./enqueue";

export interface Submitted {
  job: JobRow;
  /** False when an id, idempotency or debounce key matched an existing job, which is returned instead. */
  created: boolean;
  /** 1-based place among the queue's ready jobs at submission; null when delayed, waiting or unknown. */
  position: number | null;
}

/** A job for a queue, from a submitter of `tenant` (null: the platform). */
export interface SubmitItem {
  queue: string;
  tenant: TenantId;
  job: NewJob;
}

/** Jobs per insert statement: a 10,000-job batch is ten statements in one transaction. */
const CHUNK = 1000;

/**
 * Stores jobs (one insert per queue and chunk; debounced jobs replace their key's pending job) and
 * hands the new ones to their schedulers. Postgres first: once the insert commits the jobs cannot
 * be lost, whatever happens to the scheduler call. With `batch`, the batch row is written in the
 * same transaction and the jobs belong to it. Jobs with dependencies start `waiting` and are
 * checked at once, after the commit, so one whose dependencies all finished meanwhile goes on.
 * `actor` (who submitted) goes in each job's audit trail.
 */
export async function submitJobs(
  env: Env,
  db: Db,
  items: SubmitItem[],
  now: Date,
  actor: string,
  batch?: Pick<JobBatchRow, "id" | "name" | "callbackUrl" | "tenantId">,
): Promise<Submitted[]> {
  const dependedOn = new Set(items.flatMap((item) => item.job.dependsOn ?? []));
  const indexed = items.map((item, index) => ({ ...item, job: batch ? { ...item.job, batchId: batch.id } : item.job, index }));
  const groups = [...Map.groupBy(indexed, (item) => `${item.queue}\u0000${item.tenant ?? ""}\u0000${item.job.debounceKey === undefined ? "" : "debounce"}`).values()].flatMap((g) => chunks(g, CHUNK));
  const insertAll = async (tx: Db) => {
    if (batch) await insertBatch(tx, batch, now);
    const results = await mapSequentially(groups, (g) => insertJobs(tx, g[0]!.queue, g[0]!.tenant, g.map((i) => i.job), now, actor, dependedOn, g[0]!.job.debounceKey !== undefined));
    if (batch) await setBatchTotal(tx, batch.id, results.reduce((n, r) => n + r.jobs.filter((j) => j.created).length, 0));
    return results;
  };
  // One statement is atomic by itself; more (queues, chunks, a batch row) commit all or nothing.
  const inserted = groups.length === 1 && !batch ? await insertAll(db) : await db.transaction((tx) => insertAll(tx));

  const out = new Array<Submitted>(items.length);
  const queueRows = new Map<string, QueueRow>();
  groups.forEach((g, q) => {
    queueRows.set(g[0]!.queue, inserted[q]!.queue);
    inserted[q]!.jobs.forEach(({ job, created }, i) => (out[g[i]!.index] = { job, created, position: null }));
  });

  const waiting = out.filter((s) => s.created && s.job.state === "waiting").map((s) => s.job.id);
  const moved = new Map((waiting.length > 0 ? await settleWaiting(db, { ids: waiting }, now) : []).map((j) => [j.id, j]));
  for (const s of out) s.job = moved.get(s.job.id) ?? s.job;

  const ready = out.filter((s) => (s.created || moved.has(s.job.id)) && (s.job.state === "queued" || s.job.state === "scheduled"));
  const own = new Set(out.map((s) => s.job.id));
  // Further down the graph a cancellation can release a job that runs whatever its dependencies did.
  const cascaded = [...moved.values()].filter((j) => !own.has(j.id) && j.state !== "cancelled");
  await Promise.all([
    ...[...Map.groupBy([...new Set(ready.map((s) => s.job)), ...cascaded], (job) => job.queue)].map(async ([queue, jobs]) => {
      const row = queueRows.get(queue);
      const positions = await enqueueStored(env, queue, jobs, row && schedulerConfig(row));
      const positionOf = new Map(jobs.map((job, i) => [job.id, positions[i] ?? null]));
      for (const s of ready) if (s.job.queue === queue) s.position = positionOf.get(s.job.id) ?? null;
    }),
    rescheduleDebounced(env, out.filter((s) => !s.created && s.job.debounceKey !== null && s.job.state === "scheduled").map((s) => s.job)),
  ]);

  const cancelledBatches = [...moved.values()].flatMap((j) => (j.state === "cancelled" && j.batchId ? [j.batchId] : []));
  const batchIds = [...new Set([...(batch ? [batch.id] : []), ...cancelledBatches])];
  for (const completed of await completeBatches(db, { ids: batchIds }, now)) await onBatchCompleted(env, db, completed);
  return out;
}

/** Tells schedulers the new run time of debounced jobs a submission pushed back; after a miss the job runs at its earlier time, with the newest payload. */
async function rescheduleDebounced(env: Env, jobs: JobRow[]): Promise<void> {
  await Promise.all(
    [...Map.groupBy(jobs, (j) => j.queue)].map(([queue, list]) =>
      schedulerFor(env, queue)
        .reschedule(queue, list.map(enqueueItem))
        .catch((error: unknown) => log("error", "the scheduler missed a debounced job's new time", { queue, jobs: list.length }, error)),
    ),
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `fn` over `items` one after another (statements of one transaction cannot overlap). */
async function mapSequentially<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await fn(item));
  return results;
}
