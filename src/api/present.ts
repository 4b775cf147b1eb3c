import type { JobAttemptRow, JobRow, QueueRow } from "../db/schema";
import type { SchedulerStats } from "../scheduler/types";

/** A job as the API shows it. */
export function presentJob(job: JobRow) {
  return {
    id: job.id,
    queue: job.queue,
    type: job.type,
    state: job.state,
    priority: job.priority,
    payload: job.payload,
    result: job.result,
    error: job.lastError,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    /** Attempts left before the dead-letter queue. */
    attemptsLeft: Math.max(0, job.maxAttempts - (job.attempt - job.attemptBase)),
    backoff: job.backoff,
    timeoutMs: job.timeoutMs,
    idempotencyKey: job.idempotencyKey,
    tags: job.tags,
    runAt: job.runAt.toISOString(),
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export function presentAttempt(a: JobAttemptRow) {
  return {
    attempt: a.attempt,
    outcome: a.outcome,
    startedAt: a.startedAt.toISOString(),
    finishedAt: a.finishedAt?.toISOString() ?? null,
    durationMs: a.durationMs,
    error: a.error,
    runner: a.runner,
  };
}

export function presentQueue(q: QueueRow, counts: Record<string, number>, scheduler?: SchedulerStats | null) {
  return {
    name: q.name,
    paused: q.paused,
    concurrency: q.concurrency,
    maxAttempts: q.maxAttempts,
    backoff: q.backoff,
    timeoutMs: q.timeoutMs,
    visibilityTimeoutMs: q.visibilityTimeoutMs,
    counts,
    ...(scheduler === undefined ? {} : { scheduler }),
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
  };
}
