import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { JobTemplate } from "../api/schemas/job-input";
import type { TenantQuotas } from "../api/schemas/tenants";
import type { Backoff } from "../core/backoff";
import { QUEUE_DEFAULTS } from "../core/queue-defaults";
import type { Scope } from "../auth/scopes";
import { MISFIRE_POLICIES, OVERLAP_POLICIES, type MisfirePolicy, type OverlapPolicy } from "../core/schedule-plan";
import type { Granularity } from "../core/time-buckets";
import type { LimitPolicy } from "../ratelimit/limiter";
import type { DependencyFailurePolicy } from "../core/dependencies";
import type { RatePolicy } from "../core/rate-window";
import { JOB_STATES, type AttemptOutcome, type JobState, type QueueMode } from "../core/states";
import type { DeliveryStatus, WebhookEventType } from "../core/webhook-events";
import type { JobEventKind } from "../core/job-events";
import type { AnomalyMetric } from "../insights/anomaly";
import type { SuccessModel } from "../insights/predictor";
import type { FailureCategory, SuggestedAction } from "../insights/verdict";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A serialised handler error, as stored on a job and on its attempts. */
export interface JobErrorRecord {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  retryable: boolean;
}

/**
 * Teams sharing one deployment. `stored_jobs` is kept by triggers on `jobs` (migration 0011), which
 * also refuse an insert that would break a quota, so every path that stores jobs obeys them.
 */
export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  quotas: jsonb("quotas").$type<TenantQuotas>().notNull().default({}),
  storedJobs: bigint("stored_jobs", { mode: "number" }).notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Jobs each tenant submitted per UTC day (by `created_at`), for the jobs-per-day quota; kept by the same trigger. */
export const tenantUsage = pgTable(
  "tenant_usage",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    submitted: bigint("submitted", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);

/** The owning tenant of a row; null: the platform's (a shared queue, a platform key). */
const tenantId = () => text("tenant_id").references(() => tenants.id);

/** One row per queue: its defaults and flow control. `version` orders config pushed to the scheduler. */
export const queues = pgTable(
  "queues",
  {
  name: text("name").primaryKey(),
  /** Its tenant; null: a shared queue, where any tenant may submit and sees only its own jobs. */
  tenantId: tenantId(),
  concurrency: integer("concurrency").notNull().default(QUEUE_DEFAULTS.concurrency),
  maxAttempts: integer("max_attempts").notNull().default(QUEUE_DEFAULTS.maxAttempts),
  backoff: jsonb("backoff").$type<Backoff>().notNull().default(QUEUE_DEFAULTS.backoff),
  timeoutMs: integer("timeout_ms").notNull().default(QUEUE_DEFAULTS.timeoutMs),
  visibilityTimeoutMs: integer("visibility_timeout_ms").notNull().default(QUEUE_DEFAULTS.visibilityTimeoutMs),
  paused: boolean("paused").notNull().default(false),
  /** `fixed` retries to the budget; `smart` dead-letters failure classes that history says never recover. */
  retryPolicy: text("retry_policy").$type<"fixed" | "smart">().notNull().default("fixed"),
  /** At most `limit` dispatches per `periodMs`, enforced by the queue's scheduler; null is unlimited. */
  rateLimit: jsonb("rate_limit").$type<RatePolicy>(),
  /** `push`: the scheduler sends jobs to the Worker's consumer; `pull`: workers lease them over HTTP. */
  mode: text("mode").$type<QueueMode>().notNull().default("push"),
  version: integer("version").notNull().default(1),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("queues_tenant_idx").on(t.tenantId)],
);

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    queue: text("queue").notNull(),
    /** The submitter's tenant (a platform key's job in a tenant's queue belongs to that tenant). No foreign key: it would cost every insert a lookup. */
    tenantId: text("tenant_id"),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    priority: smallint("priority").notNull().default(5),
    state: text("state").$type<JobState>().notNull(),
    runAt: ts("run_at").notNull(),
    attempt: integer("attempt").notNull().default(0),
    attemptBase: integer("attempt_base").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    backoff: jsonb("backoff").$type<Backoff>().notNull(),
    lastBackoffMs: integer("last_backoff_ms"),
    timeoutMs: integer("timeout_ms").notNull(),
    idempotencyKey: text("idempotency_key"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    result: jsonb("result"),
    lastError: jsonb("last_error").$type<JobErrorRecord>(),
    leaseSeq: bigint("lease_seq", { mode: "number" }),
    leaseExpiresAt: ts("lease_expires_at"),
    /** Told the job's final outcome (signed), when set. */
    callbackUrl: text("callback_url"),
    /** What a pull worker last reported with a heartbeat. */
    progress: jsonb("progress"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    /** The batch (job_batches) the job was submitted in. */
    batchId: uuid("batch_id").references(() => jobBatches.id, { onDelete: "set null" }),
    /** What a `waiting` job does when a dependency dies or is cancelled: be cancelled too, or run anyway. */
    onDependencyFailure: text("on_dependency_failure").$type<DependencyFailurePolicy>().notNull().default("cancel"),
    /**
     * Set when another job depends on this one, in the dependent's insert, so the outcome write
     * returns it and the consumer releases dependents only for jobs that have them.
     */
    hasDependents: boolean("has_dependents").notNull().default(false),
    /** A shared rate-limit key (rate_limit_keys) the job's dispatch counts against. */
    rateLimitKey: text("rate_limit_key"),
    /** At most `concurrency_limit` jobs with this key run at once, across every queue. */
    concurrencyKey: text("concurrency_key"),
    concurrencyLimit: integer("concurrency_limit"),
    /** Debounced jobs: one pending job per key and queue, replaced by each new submission. */
    debounceKey: text("debounce_key"),
  },
  (t) => [
    // The reconciler and queue counts: active jobs of a queue by state and due time.
    index("jobs_queue_state_run_at_idx").on(t.queue, t.state, t.runAt),
    // Idempotency keys are the submitter's: two tenants sharing a queue may use the same one.
    uniqueIndex("jobs_queue_idempotency_key_idx").on(t.queue, sql`coalesce(${t.tenantId}, '')`, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    // A tenant's jobs, newest first.
    index("jobs_tenant_created_at_idx").on(t.tenantId, t.createdAt, t.id).where(sql`${t.tenantId} is not null`),
    // Queue counts by state: every job but the completed ones, which the rollups count instead.
    index("jobs_unfinished_queue_state_idx").on(t.queue, t.state).where(sql`state <> 'completed'`),
    // The dead-letter queue and retention: finished jobs by state and time.
    index("jobs_state_finished_at_idx").on(t.state, t.finishedAt),
    // Listing newest first with a (created_at, id) cursor.
    index("jobs_created_at_id_idx").on(t.createdAt, t.id),
    // A batch's counts, and whether any of its jobs is unfinished (its completion check).
    index("jobs_batch_state_idx").on(t.batchId, t.state).where(sql`${t.batchId} is not null`),
    // The one pending job per debounce key: not yet run (attempt 0) and waiting for its time.
    uniqueIndex("jobs_debounce_pending_idx")
      .on(t.queue, sql`coalesce(${t.tenantId}, '')`, t.debounceKey)
      .where(sql`${t.debounceKey} is not null and ${t.state} = 'scheduled' and ${t.attempt} = 0`),
    check("jobs_state_check", sql.raw(`state in (${JOB_STATES.map((s) => `'${s}'`).join(", ")})`)),
    check("jobs_priority_check", sql`${t.priority} between 0 and 10`),
  ],
);

/** Edges of the dependency graph: `job_id` waits for `depends_on`. No foreign key on `depends_on`, so a batch may name jobs of another queue inserted later in its transaction. */
export const jobDependencies = pgTable(
  "job_dependencies",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    dependsOn: uuid("depends_on").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.dependsOn] }), index("job_dependencies_depends_on_idx").on(t.dependsOn)],
);

/**
 * Jobs submitted together. `completed_at` is set once, by the conditional update that sees the
 * last of its jobs final; whoever wins that update announces the completion.
 */
export const jobBatches = pgTable("job_batches", {
  id: uuid("id").primaryKey(),
  tenantId: tenantId(),
  name: text("name").notNull(),
  callbackUrl: text("callback_url"),
  total: integer("total").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  completedAt: ts("completed_at"),
});

/** Shared rate limits by key, across every queue whose jobs name the key. */
export const rateLimitKeys = pgTable("rate_limit_keys", {
  /** A tenant's key is stored qualified (`<tenant>/<key>`, src/core/tenancy.ts), so tenants never share one. */
  key: text("key").primaryKey(),
  tenantId: tenantId(),
  limit: integer("limit").notNull(),
  periodMs: integer("period_ms").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** One row per attempt: a claim opens it, an outcome (or a lost lease) closes it. */
export const jobAttempts = pgTable(
  "job_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    leaseSeq: bigint("lease_seq", { mode: "number" }).notNull(),
    runner: text("runner").notNull(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    outcome: text("outcome").$type<AttemptOutcome>(),
    error: jsonb("error").$type<JobErrorRecord>(),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    uniqueIndex("job_attempts_job_attempt_idx").on(t.jobId, t.attempt),
    // The analytics timeline: attempts that started in a window.
    index("job_attempts_started_at_idx").on(t.startedAt),
  ],
);

/**
 * Recurring jobs. `next_run_at` is the first fire not yet enqueued; a tick claims a due schedule by
 * setting `claim_token` and `claimed_until` in one conditional update, so two ticks never work on
 * the same schedule, and a claim whose tick died expires.
 */
export const schedules = pgTable(
  "schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    job: jsonb("job").$type<JobTemplate>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    misfirePolicy: text("misfire_policy").$type<MisfirePolicy>().notNull().default("run_once"),
    misfireLimit: integer("misfire_limit").notNull().default(10),
    overlapPolicy: text("overlap_policy").$type<OverlapPolicy>().notNull().default("allow"),
    startAt: ts("start_at"),
    nextRunAt: ts("next_run_at"),
    lastRunAt: ts("last_run_at"),
    lastJobId: uuid("last_job_id").references(() => jobs.id, { onDelete: "set null" }),
    claimToken: uuid("claim_token"),
    claimedUntil: ts("claimed_until"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("schedules_name_idx").on(sql`coalesce(${t.tenantId}, '')`, t.name),
    // The tick's claim: enabled schedules by next fire.
    index("schedules_due_idx").on(t.nextRunAt).where(sql`${t.enabled}`),
    check("schedules_misfire_policy_check", sql.raw(`misfire_policy in (${MISFIRE_POLICIES.map((p) => `'${p}'`).join(", ")})`)),
    check("schedules_overlap_policy_check", sql.raw(`overlap_policy in (${OVERLAP_POLICIES.map((p) => `'${p}'`).join(", ")})`)),
  ],
);

/**
 * An analysis of a failure. Failures with the same fingerprint in the same window share one row
 * (`occurrences` counts them), so a storm of identical errors costs one analysis.
 */
export const insights = pgTable(
  "insights",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fingerprint: text("fingerprint").notNull(),
    windowStart: ts("window_start").notNull(),
    queue: text("queue").notNull(),
    jobType: text("job_type").notNull(),
    /** The first job that failed this way in the window. */
    jobId: uuid("job_id").notNull(),
    attempt: integer("attempt").notNull(),
    error: jsonb("error").$type<JobErrorRecord>().notNull(),
    failureCategory: text("failure_category").$type<FailureCategory>().notNull(),
    suggestedAction: text("suggested_action").$type<SuggestedAction>().notNull(),
    confidenceScore: doublePrecision("confidence_score").notNull(),
    reasoning: text("reasoning").notNull(),
    etaMinutes: integer("eta_minutes"),
    scalingRecommendation: text("scaling_recommendation"),
    /** Who answered: the built-in analyzer, or Workers AI (then `model`). */
    source: text("source").$type<"builtin" | "workers-ai">().notNull(),
    model: text("model"),
    /** Why Workers AI's answer was not used, when it was asked and failed. */
    aiError: text("ai_error"),
    occurrences: integer("occurrences").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("insights_fingerprint_window_idx").on(t.fingerprint, t.windowStart),
    index("insights_created_at_id_idx").on(t.createdAt, t.id),
    index("insights_queue_created_at_idx").on(t.queue, t.createdAt),
  ],
);

/** Which failed attempt each insight explains; also the history the smart retry policy learns from. */
export const insightJobs = pgTable(
  "insight_jobs",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    insightId: uuid("insight_id")
      .notNull()
      .references(() => insights.id, { onDelete: "cascade" }),
    jobType: text("job_type").notNull(),
    /** The built-in analyzer's category: deterministic, so the retry policy's classes are stable. */
    category: text("category").$type<FailureCategory>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.attempt] }), index("insight_jobs_insight_idx").on(t.insightId), index("insight_jobs_class_idx").on(t.jobType, t.category, t.createdAt)],
);

/** Fitted success models, newest last; the cron tick adds one and the predictor reads the newest. */
export const predictorModels = pgTable("predictor_models", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  trainedAt: ts("trained_at").notNull(),
  samples: integer("samples").notNull(),
  model: jsonb("model").$type<SuccessModel>().notNull(),
});

/** Each queue's EWMA baseline of each watched metric; `last_value` is the raw reading a delta needs (backlog). */
export const queueBaselines = pgTable(
  "queue_baselines",
  {
    queue: text("queue").notNull(),
    metric: text("metric").$type<AnomalyMetric>().notNull(),
    mean: doublePrecision("mean").notNull(),
    variance: doublePrecision("variance").notNull(),
    samples: integer("samples").notNull(),
    lastValue: doublePrecision("last_value"),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.queue, t.metric] })],
);

export const anomalies = pgTable(
  "anomalies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    queue: text("queue").notNull(),
    metric: text("metric").$type<AnomalyMetric>().notNull(),
    value: doublePrecision("value").notNull(),
    baselineMean: doublePrecision("baseline_mean").notNull(),
    baselineStd: doublePrecision("baseline_std").notNull(),
    zScore: doublePrecision("z_score").notNull(),
    message: text("message").notNull(),
    detectedAt: ts("detected_at").notNull(),
  },
  (t) => [index("anomalies_detected_at_idx").on(t.detectedAt, t.id), index("anomalies_queue_detected_at_idx").on(t.queue, t.detectedAt)],
);

export type QueueRow = typeof queues.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type JobAttemptRow = typeof jobAttempts.$inferSelect;
export type ScheduleRow = typeof schedules.$inferSelect;
export type JobBatchRow = typeof jobBatches.$inferSelect;
export type RateLimitKeyRow = typeof rateLimitKeys.$inferSelect;

/** API keys: only a SHA-256 of the key is kept; the prefix finds the row and is safe to show. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().$type<Scope[]>().notNull(),
    /** The tenant whose data the key reaches; null: a platform key, which reaches every tenant's. */
    tenantId: tenantId(),
    /** Requests per window for this key; null takes the deployment's default. */
    rateLimit: jsonb("rate_limit").$type<LimitPolicy>(),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_prefix_idx").on(t.prefix)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;

/**
 * Counts per queue, job type and time bucket, kept up to date by the statements that write
 * submissions and outcomes, so analytics never scan `jobs`. Histogram arrays hold one count per
 * bucket of src/core/histogram.ts's bounds (not cumulative).
 */
export const jobRollups = pgTable(
  "job_rollups",
  {
    granularity: text("granularity").$type<Granularity>().notNull(),
    bucket: ts("bucket").notNull(),
    queue: text("queue").notNull(),
    type: text("type").notNull(),
    submitted: bigint("submitted", { mode: "number" }).notNull().default(0),
    completed: bigint("completed", { mode: "number" }).notNull().default(0),
    /** Attempts that failed (timeouts included), whether or not they were retried. */
    failed: bigint("failed", { mode: "number" }).notNull().default(0),
    timedOut: bigint("timed_out", { mode: "number" }).notNull().default(0),
    retried: bigint("retried", { mode: "number" }).notNull().default(0),
    dead: bigint("dead", { mode: "number" }).notNull().default(0),
    durationCount: bigint("duration_count", { mode: "number" }).notNull().default(0),
    durationSumMs: bigint("duration_sum_ms", { mode: "number" }).notNull().default(0),
    /** Attempt run times. */
    durationBuckets: bigint("duration_buckets", { mode: "number" }).array(),
    /** Submit to completion, for completed jobs (SLA share). */
    latencyBuckets: bigint("latency_buckets", { mode: "number" }).array(),
    /** Completions by the attempt that succeeded: index 0 is the first attempt, the last holds the rest. */
    completedByAttempt: bigint("completed_by_attempt", { mode: "number" }).array(),
  },
  (t) => [
    primaryKey({ columns: [t.granularity, t.bucket, t.queue, t.type] }),
    // Covers the counters, so series and totals over a window are index-only scans of narrow
    // entries instead of heap reads of rows carrying three histograms.
    index("job_rollups_counts_idx").on(
      t.granularity,
      t.bucket,
      t.queue,
      t.type,
      t.submitted,
      t.completed,
      t.failed,
      t.timedOut,
      t.retried,
      t.dead,
      t.durationCount,
      t.durationSumMs,
    ),
  ],
);

/** Failures per day, queue, job type and error fingerprint (message with ids and numbers masked). */
export const errorRollups = pgTable(
  "error_rollups",
  {
    day: ts("day").notNull(),
    queue: text("queue").notNull(),
    type: text("type").notNull(),
    fingerprint: text("fingerprint").notNull(),
    errorName: text("error_name").notNull(),
    sampleMessage: text("sample_message").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.queue, t.type, t.fingerprint] }), index("error_rollups_day_idx").on(t.day)],
);

export type JobRollupRow = typeof jobRollups.$inferSelect;
export type InsightRow = typeof insights.$inferSelect;
export type AnomalyRow = typeof anomalies.$inferSelect;

/** Subscriptions to job and batch events; `secret` signs each delivery (Standard Webhooks). */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey(),
  /** A tenant's subscription hears only its own jobs' events; a platform one hears every tenant's. */
  tenantId: tenantId(),
  url: text("url").notNull(),
  events: text("events").array().$type<WebhookEventType[]>().notNull(),
  /** Only events of these queues; empty: every queue. */
  queues: text("queues").array().notNull().default(sql`'{}'::text[]`),
  enabled: boolean("enabled").notNull().default(true),
  description: text("description"),
  secret: text("secret").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * One event on its way to one receiver: a subscription's (webhook_id set) or a job's callback URL
 * (webhook_id null). `payload` is the body exactly as signed and sent; each try updates the row.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey(),
    webhookId: uuid("webhook_id").references(() => webhooks.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    event: text("event").$type<WebhookEventType>().notNull(),
    jobId: uuid("job_id"),
    payload: jsonb("payload").notNull(),
    status: text("status").$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    durationMs: integer("duration_ms"),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastAttemptAt: ts("last_attempt_at"),
    deliveredAt: ts("delivered_at"),
    /** When it was last handed to the webhooks queue; null while that has not succeeded. */
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("webhook_deliveries_webhook_created_idx").on(t.webhookId, t.createdAt),
    index("webhook_deliveries_created_idx").on(t.createdAt),
    // The sweep for deliveries nothing will bring back: the pending ones, oldest first.
    index("webhook_deliveries_pending_idx").on(t.createdAt).where(sql`status = 'pending'`),
  ],
);

/** HTTPS endpoints that run jobs: bound to a job type or to a whole queue (the type's binding wins). */
export const endpoints = pgTable(
  "endpoints",
  {
    kind: text("kind").$type<"type" | "queue">().notNull(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** The request's own limit; null: the job's timeout. Never more than the job's timeout. */
    timeoutMs: integer("timeout_ms"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.name] })],
);

/** Pull workers that said they are alive; the cron tick forgets those silent past the registry's TTL. */
export const workers = pgTable("workers", {
  id: text("id").primaryKey(),
  tenantId: tenantId(),
  name: text("name").notNull(),
  queues: text("queues").array().notNull().default(sql`'{}'::text[]`),
  host: text("host"),
  startedAt: ts("started_at").notNull(),
  lastSeenAt: ts("last_seen_at").notNull(),
  currentJobs: text("current_jobs").array().notNull().default(sql`'{}'::text[]`),
  processed: bigint("processed", { mode: "number" }).notNull().default(0),
  failed: bigint("failed", { mode: "number" }).notNull().default(0),
});

/**
 * The audit trail: an append-only log of each job's transitions, written in the statements that make
 * them (see src/core/job-events.ts), and deleted with its job (retention prunes jobs; the rows follow).
 */
export const jobEvents = pgTable(
  "job_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    queue: text("queue").notNull(),
    type: text("type").notNull(),
    at: ts("at").notNull(),
    kind: text("kind").$type<JobEventKind>().notNull(),
    attempt: integer("attempt").notNull(),
    actor: text("actor").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>(),
  },
  (t) => [
    // A job's own trail, in order.
    index("job_events_job_id_idx").on(t.jobId, t.id),
    // The log across jobs, newest first, by time.
    index("job_events_at_idx").on(t.at, t.id),
  ],
);

export type JobEventRow = typeof jobEvents.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type EndpointRow = typeof endpoints.$inferSelect;
export type WorkerRow = typeof workers.$inferSelect;
