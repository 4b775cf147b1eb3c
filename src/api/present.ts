import { unqualifyKey, type TenantId } from "../core/tenancy";
import type { z } from "@hono/zod-openapi";
import { FINAL_STATES, type JobState } from "../core/states";
import type { ApiKeyRow, JobAttemptRow, JobBatchRow, JobRow, QueueRow, RateLimitKeyRow, ScheduleRow } from "../db/schema";
import type { SchedulerStats } from "../scheduler/types";
import type { apiKeySchema, attemptSchema, jobBatchSchema, jobSchema, queueSchema, rateLimitKeySchema, scheduleSchema } from "./schemas/responses";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A job as the API shows it. */
export function presentJob(job: JobRow): z.output<typeof jobSchema> {
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
    attemptsLeft: Math.max(0, job.maxAttempts - (job.attempt - job.attemptBase)),
    backoff: job.backoff,
    timeoutMs: job.timeoutMs,
    idempotencyKey: job.idempotencyKey,
    tags: job.tags,
    callbackUrl: job.callbackUrl,
    progress: job.progress,
    runAt: job.runAt.toISOString(),
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    batchId: job.batchId,
    onDependencyFailure: job.onDependencyFailure,
    // As the submitter named them (stored qualified by the job's tenant).
    rateLimitKey: job.rateLimitKey && unqualifyKey(job.tenantId, job.rateLimitKey),
    concurrencyKey: job.concurrencyKey && unqualifyKey(job.tenantId, job.concurrencyKey),
    concurrencyLimit: job.concurrencyLimit,
    debounceKey: job.debounceKey,
  };
}

export function presentAttempt(a: JobAttemptRow): z.output<typeof attemptSchema> {
  return {
    attempt: a.attempt,
    outcome: a.outcome,
    startedAt: a.startedAt.toISOString(),
    finishedAt: iso(a.finishedAt),
    durationMs: a.durationMs,
    error: a.error,
    runner: a.runner,
  };
}

export function presentQueue(q: QueueRow, counts: Record<string, number>, scheduler?: SchedulerStats | null): z.output<typeof queueSchema> {
  return {
    name: q.name,
    paused: q.paused,
    concurrency: q.concurrency,
    maxAttempts: q.maxAttempts,
    backoff: q.backoff,
    timeoutMs: q.timeoutMs,
    visibilityTimeoutMs: q.visibilityTimeoutMs,
    retryPolicy: q.retryPolicy,
    rateLimit: q.rateLimit,
    mode: q.mode,
    counts,
    ...(scheduler === undefined ? {} : { scheduler: scheduler && { ...scheduler, config: { ...scheduler.config } } }),
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
  };
}

export function presentApiKey(k: ApiKeyRow): z.output<typeof apiKeySchema> {
  return {
    id: k.id,
    name: k.name,
    tenant: k.tenantId,
    prefix: `eq_${k.prefix}`,
    scopes: k.scopes,
    rateLimit: k.rateLimit,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
  };
}

/** A schedule as the API shows it: its last fire and the job it made, and its next fire. */
export function presentSchedule(s: ScheduleRow, lastJobState: JobState | null): z.output<typeof scheduleSchema> {
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    job: { ...s.job, payload: s.job.payload ?? null },
    enabled: s.enabled,
    misfirePolicy: s.misfirePolicy,
    misfireLimit: s.misfireLimit,
    overlapPolicy: s.overlapPolicy,
    startAt: iso(s.startAt),
    nextRunAt: s.enabled ? iso(s.nextRunAt) : null,
    lastRunAt: iso(s.lastRunAt),
    lastJob: s.lastJobId ? { id: s.lastJobId, state: lastJobState } : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** A batch with its jobs counted by state and the share of them that are final. */
export function presentBatch(b: JobBatchRow, counts: Partial<Record<JobState, number>>): z.output<typeof jobBatchSchema> {
  const final = FINAL_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return {
    id: b.id,
    name: b.name,
    callbackUrl: b.callbackUrl,
    total: b.total,
    counts,
    progress: b.total === 0 ? 1 : final / b.total,
    completed: b.completedAt !== null,
    createdAt: b.createdAt.toISOString(),
    finishedAt: iso(b.completedAt),
  };
}

/** A key as its tenant named it (a platform viewer sees the stored, tenant-qualified name). */
export function presentRateLimitKey(k: RateLimitKeyRow, viewer: TenantId): z.output<typeof rateLimitKeySchema> {
  return { key: unqualifyKey(viewer, k.key), limit: k.limit, periodMs: k.periodMs, createdAt: k.createdAt.toISOString(), updatedAt: k.updatedAt.toISOString() };
}
