import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Backoff } from "../core/backoff";
import { QUEUE_DEFAULTS } from "../core/queue-defaults";
import { JOB_STATES, type AttemptOutcome, type JobState } from "../core/states";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A serialised handler error, as stored on a job and on its attempts. */
export interface JobErrorRecord {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  retryable: boolean;
}

/** One row per queue: its defaults and flow control. `version` orders config pushed to the scheduler. */
export const queues = pgTable("queues", {
  name: text("name").primaryKey(),
  concurrency: integer("concurrency").notNull().default(QUEUE_DEFAULTS.concurrency),
  maxAttempts: integer("max_attempts").notNull().default(QUEUE_DEFAULTS.maxAttempts),
  backoff: jsonb("backoff").$type<Backoff>().notNull().default(QUEUE_DEFAULTS.backoff),
  timeoutMs: integer("timeout_ms").notNull().default(QUEUE_DEFAULTS.timeoutMs),
  visibilityTimeoutMs: integer("visibility_timeout_ms").notNull().default(QUEUE_DEFAULTS.visibilityTimeoutMs),
  paused: boolean("paused").notNull().default(false),
  version: integer("version").notNull().default(1),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    queue: text("queue").notNull(),
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
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    // The reconciler and queue counts: active jobs of a queue by state and due time.
    index("jobs_queue_state_run_at_idx").on(t.queue, t.state, t.runAt),
    uniqueIndex("jobs_queue_idempotency_key_idx").on(t.queue, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    // The dead-letter queue and retention: finished jobs by state and time.
    index("jobs_state_finished_at_idx").on(t.state, t.finishedAt),
    // Listing newest first with a (created_at, id) cursor.
    index("jobs_created_at_id_idx").on(t.createdAt, t.id),
    check("jobs_state_check", sql.raw(`state in (${JOB_STATES.map((s) => `'${s}'`).join(", ")})`)),
    check("jobs_priority_check", sql`${t.priority} between 0 and 10`),
  ],
);

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
  (t) => [uniqueIndex("job_attempts_job_attempt_idx").on(t.jobId, t.attempt)],
);

export type QueueRow = typeof queues.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type JobAttemptRow = typeof jobAttempts.$inferSelect;
