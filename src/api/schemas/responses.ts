import { z } from "@hono/zod-openapi";
import { backoffSchema } from "../../core/backoff";
import { DEPENDENCY_FAILURE_POLICIES } from "../../core/dependencies";
import { ratePolicySchema } from "../../core/rate-window";
import { MISFIRE_POLICIES, OVERLAP_POLICIES } from "../../core/schedule-plan";
import { ATTEMPT_OUTCOMES, JOB_STATES, QUEUE_MODES } from "../../core/states";
import { SCOPES } from "../../auth/scopes";
import { ANOMALY_METRICS } from "../../insights/anomaly";
import { verdictSchema } from "../../insights/verdict";

/** What the API answers with. present.ts maps rows to these; the types come from here. */

const time = z.string().openapi({ format: "date-time" });

export const jobErrorSchema = z
  .object({ name: z.string(), message: z.string(), stack: z.string().optional(), code: z.string().optional(), retryable: z.boolean() })
  .openapi("JobError");

export const jobSchema = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    type: z.string(),
    state: z.enum(JOB_STATES),
    priority: z.number().int(),
    payload: z.unknown(),
    result: z.unknown(),
    error: jobErrorSchema.nullable(),
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    attemptsLeft: z.number().int().openapi({ description: "Attempts left before the dead-letter queue." }),
    backoff: backoffSchema,
    timeoutMs: z.number().int(),
    idempotencyKey: z.string().nullable(),
    tags: z.array(z.string()),
    callbackUrl: z.string().nullable(),
    progress: z.unknown().openapi({ description: "What a pull worker last reported with a heartbeat." }),
    runAt: time,
    createdAt: time,
    updatedAt: time,
    startedAt: time.nullable(),
    finishedAt: time.nullable(),
    batchId: z.uuid().nullable().openapi({ description: "The batch (POST /api/v1/job-batches) the job belongs to." }),
    onDependencyFailure: z.enum(DEPENDENCY_FAILURE_POLICIES).openapi({ description: "What the job does if a dependency dies or is cancelled (see GET /api/v1/jobs/{id}/graph)." }),
    rateLimitKey: z.string().nullable(),
    concurrencyKey: z.string().nullable(),
    concurrencyLimit: z.number().int().nullable(),
    debounceKey: z.string().nullable(),
  })
  .openapi("Job");

export const attemptSchema = z
  .object({
    attempt: z.number().int(),
    outcome: z.enum(ATTEMPT_OUTCOMES).nullable(),
    startedAt: time,
    finishedAt: time.nullable(),
    durationMs: z.number().int().nullable(),
    error: jobErrorSchema.nullable(),
    runner: z.string(),
  })
  .openapi("Attempt");

export const jobWithAttemptsSchema = jobSchema.extend({ attempts: z.array(attemptSchema) }).openapi("JobWithAttempts");

export const submittedSchema = jobSchema
  .extend({
    position: z.number().int().nullable().openapi({ description: "Place among the queue's ready jobs, when known." }),
    created: z.boolean().openapi({ description: "False when an idempotency key matched an existing job." }),
  })
  .openapi("SubmittedJob");

export const submittedBriefSchema = submittedSchema.pick({ id: true, queue: true, type: true, state: true, priority: true, runAt: true, position: true, created: true });

export const batchSubmittedSchema = z
  .object({ created: z.number().int(), existing: z.number().int(), jobs: z.array(submittedBriefSchema) })
  .openapi("BatchSubmitted");

export const jobPageSchema = z.object({ jobs: z.array(jobSchema), nextCursor: z.string().nullable() }).openapi("JobPage");

export const schedulerStatsSchema = z
  .object({
    queue: z.string().nullable(),
    ready: z.number().int(),
    delayed: z.number().int(),
    leased: z.number().int(),
    config: z.record(z.string(), z.unknown()),
    nextWakeAt: z.number().nullable(),
    storageBytes: z.number().int().openapi({ description: "Size of the scheduler's SQLite storage" }),
  })
  .openapi("SchedulerStats");

export const queueSchema = z
  .object({
    name: z.string(),
    paused: z.boolean(),
    concurrency: z.number().int(),
    maxAttempts: z.number().int(),
    backoff: backoffSchema,
    timeoutMs: z.number().int(),
    visibilityTimeoutMs: z.number().int(),
    retryPolicy: z.enum(["fixed", "smart"]),
    rateLimit: ratePolicySchema.nullable().openapi({ description: "At most `limit` dispatches in any `periodMs`; null is unlimited." }),
    mode: z.enum(QUEUE_MODES).openapi({ description: "`push`: the Worker runs the jobs; `pull`: workers lease them over HTTP." }),
    counts: z.record(z.string(), z.number().int()).openapi({ description: "Jobs by state." }),
    scheduler: schedulerStatsSchema.nullable().optional(),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("Queue");

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    tenant: z.string().nullable().openapi({ description: "The tenant whose data the key reaches; null: a platform key." }),
    prefix: z.string().openapi({ description: "The visible start of the key, to tell keys apart." }),
    scopes: z.array(z.enum(SCOPES)),
    rateLimit: z.object({ limit: z.number().int(), windowMs: z.number().int() }).nullable(),
    createdAt: time,
    lastUsedAt: time.nullable(),
    revokedAt: time.nullable(),
  })
  .openapi("ApiKey");

export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().openapi({ description: "The key itself; shown only in this answer." }) }).openapi("CreatedApiKey");

export const scheduleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    job: z
      .object({
        queue: z.string(),
        type: z.string(),
        payload: z.unknown(),
        priority: z.number().int(),
        maxAttempts: z.number().int().optional(),
        backoff: backoffSchema.optional(),
        timeoutMs: z.number().int().optional(),
        tags: z.array(z.string()).optional(),
      })
      .openapi({ description: "What each fire enqueues; unset options come from the queue." }),
    enabled: z.boolean(),
    misfirePolicy: z.enum(MISFIRE_POLICIES),
    misfireLimit: z.number().int(),
    overlapPolicy: z.enum(OVERLAP_POLICIES),
    startAt: time.nullable(),
    nextRunAt: time.nullable().openapi({ description: "The next fire not yet enqueued; null while paused." }),
    lastRunAt: time.nullable().openapi({ description: "The latest fire enqueued (or the last trigger)." }),
    lastJob: z.object({ id: z.uuid(), state: z.enum(JOB_STATES).nullable() }).nullable().openapi({ description: "The job the latest fire made, and its state." }),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("Schedule");

export const schedulePreviewSchema = z
  .object({
    id: z.uuid(),
    timezone: z.string(),
    next: z.array(z.object({ at: time, local: z.string().openapi({ description: "The zone's wall clock with its offset." }) })),
  })
  .openapi("SchedulePreview");

export const insightSchema = verdictSchema
  .extend({
    id: z.uuid(),
    job_id: z.uuid().openapi({ description: "The first job that failed this way in the window." }),
    queue: z.string(),
    job_type: z.string(),
    attempt: z.number().int(),
    source: z.enum(["builtin", "workers-ai"]),
    model: z.string().nullable(),
    ai_error: z.string().nullable().openapi({ description: "Why Workers AI's answer was not used, when it was asked." }),
    fingerprint: z.string(),
    occurrences: z.number().int().openapi({ description: "Failures that share this insight (same fingerprint and window)." }),
    error: jobErrorSchema,
    created_at: time,
    last_seen_at: time,
  })
  .openapi("Insight");

export const insightPageSchema = z.object({ insights: z.array(insightSchema), nextCursor: z.string().nullable() }).openapi("InsightPage");

export const anomalySchema = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    metric: z.enum(ANOMALY_METRICS),
    value: z.number(),
    baselineMean: z.number(),
    baselineStd: z.number(),
    zScore: z.number(),
    message: z.string(),
    detectedAt: z.string(),
  })
  .openapi("Anomaly");

export const jobGraphSchema = z
  .object({
    id: z.uuid(),
    nodes: z.array(
      z.object({
        id: z.uuid(),
        queue: z.string(),
        type: z.string(),
        state: z.enum(JOB_STATES),
        role: z.enum(["self", "ancestor", "descendant"]).openapi({ description: "The job itself, one it waits for, or one that waits for it." }),
      }),
    ),
    edges: z.array(z.object({ from: z.uuid(), to: z.uuid() })).openapi({ description: "From a dependency to the job that waits for it." }),
    truncated: z.boolean().openapi({ description: "True when more jobs are connected than were returned." }),
  })
  .openapi("JobGraph");

export const jobBatchSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    callbackUrl: z.string().nullable(),
    total: z.number().int().openapi({ description: "Jobs in the batch (jobs that already existed by id or idempotency key are not)." }),
    counts: z.record(z.string(), z.number().int()).openapi({ description: "The batch's jobs by state." }),
    progress: z.number().openapi({ description: "The share of its jobs that are final (0–1)." }),
    completed: z.boolean(),
    createdAt: time,
    finishedAt: time.nullable().openapi({ description: "When its last job became final." }),
  })
  .openapi("JobBatch");

export const jobBatchSubmittedSchema = jobBatchSchema
  .extend({ existing: z.number().int(), jobs: z.array(submittedBriefSchema) })
  .openapi("JobBatchSubmitted");

export const rateLimitKeySchema = z
  .object({ key: z.string(), limit: ratePolicySchema.shape.limit, periodMs: ratePolicySchema.shape.periodMs, createdAt: time, updatedAt: time })
  .openapi("RateLimitKey");
