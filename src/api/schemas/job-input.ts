import { z } from "zod";
import { backoffSchema } from "../../core/backoff";
import { delaySchema } from "../../core/duration";
import { DEFAULT_PRIORITY, prioritySchema } from "../../core/priority";
import type { NewJob } from "../../db/queries/insert-jobs";
import { TOO_LARGE } from "../errors";
import { isoTimeSchema, queueNameSchema } from "./common";

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_BATCH = 1000;

const encoder = new TextEncoder();

/** The job options every submission form accepts (queue and type aside). */
const jobOptions = {
  payload: z.unknown().optional(),
  priority: prioritySchema.default(DEFAULT_PRIORITY),
  /** Seconds (a number) or a duration string ("500ms", "30s", "5m"). */
  delay: delaySchema.optional(),
  delayMs: z.number().int().min(0).max(366 * 86_400_000).optional(),
  runAt: isoTimeSchema.optional(),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
  backoff: backoffSchema.optional(),
  timeoutMs: z.number().int().min(1).max(15 * 60_000).optional(),
  idempotencyKey: z.string().min(1).max(255).optional(),
  tags: z.array(z.string().min(1).max(100)).max(50).optional(),
};

type JobOptionsInput = z.output<z.ZodObject<typeof jobOptions>>;

/** Rejects payloads over 1 MB (as JSON) with an issue the error mapper answers with 413. */
function checkPayload(job: { payload?: unknown }, ctx: z.RefinementCtx): void {
  const size = encoder.encode(JSON.stringify(job.payload ?? null)).byteLength;
  if (size > MAX_PAYLOAD_BYTES) {
    ctx.addIssue({ code: "custom", path: ["payload"], message: `payload is ${size} bytes as JSON; the limit is ${MAX_PAYLOAD_BYTES}`, params: { reason: TOO_LARGE } });
  }
  const timing = ["delay", "delayMs", "runAt"].filter((k) => (job as Record<string, unknown>)[k] !== undefined);
  if (timing.length > 1) ctx.addIssue({ code: "custom", path: [timing[1]!], message: `give one of delay, delayMs or runAt, not ${timing.join(" and ")}` });
}

/** The validated options as an insertable job; `now` resolves a delay into a time. */
function toNewJob(type: string, o: JobOptionsInput, now: number): NewJob {
  const delayMs = o.delay ?? o.delayMs;
  return {
    type,
    payload: o.payload ?? null,
    priority: o.priority,
    runAt: o.runAt ? new Date(o.runAt) : delayMs !== undefined && delayMs > 0 ? new Date(now + delayMs) : null,
    maxAttempts: o.maxAttempts,
    backoff: o.backoff,
    timeoutMs: o.timeoutMs,
    idempotencyKey: o.idempotencyKey,
    tags: o.tags,
  };
}

export const jobTypeSchema = z.string().min(1).max(200);

/** `POST /api/v1/jobs` and each element of a batch. */
export const jobInputSchema = z
  .strictObject({ queue: queueNameSchema.default("default"), type: jobTypeSchema, ...jobOptions })
  .superRefine(checkPayload);

export type JobInput = z.output<typeof jobInputSchema>;

/** Gives jobs that name no queue the batch's `queue`, before validation. */
function inheritBatchQueue(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("jobs" in body) || !Array.isArray(body.jobs)) return body;
  const queue = (body as { queue?: unknown }).queue;
  if (queue === undefined) return body;
  return {
    ...body,
    jobs: body.jobs.map((job: unknown) => (typeof job === "object" && job !== null && !("queue" in job) ? { ...job, queue } : job)),
  };
}

/** `POST /api/v1/jobs/batch`: up to 1,000 jobs; `queue` is the default for jobs that name none. */
export const batchInputSchema = z.preprocess(
  inheritBatchQueue,
  z.strictObject({
    queue: queueNameSchema.optional(),
    jobs: z.array(jobInputSchema).min(1, "a batch holds at least one job").max(MAX_BATCH, `a batch holds at most ${MAX_BATCH} jobs`),
  }),
);

/** `POST /submit-job`, the short form simpler queues use: no queue field, same options. */
export const submitJobInputSchema = z.strictObject({ type: jobTypeSchema, ...jobOptions }).superRefine(checkPayload);

/**
 * The job a schedule enqueues at each fire: the options of `POST /api/v1/jobs` except the timing
 * (the fire time is its `runAt`) and the idempotency key (each fire has its own).
 */
export const jobTemplateSchema = z
  .strictObject({
    queue: queueNameSchema.default("default"),
    type: jobTypeSchema,
    payload: jobOptions.payload,
    priority: jobOptions.priority,
    maxAttempts: jobOptions.maxAttempts,
    backoff: jobOptions.backoff,
    timeoutMs: jobOptions.timeoutMs,
    tags: jobOptions.tags,
  })
  .superRefine(checkPayload);

export type JobTemplate = z.output<typeof jobTemplateSchema>;

/** A schedule's job for one fire: `runAt` null runs it now. */
export function fromTemplate(template: JobTemplate, runAt: Date | null, idempotencyKey?: string): { queue: string; job: NewJob } {
  return { queue: template.queue, job: { ...toNewJob(template.type, template, 0), runAt, idempotencyKey } };
}

export function toQueuedJob(input: JobInput, now: number): { queue: string; job: NewJob } {
  return { queue: input.queue, job: toNewJob(input.type, input, now) };
}

export function toDefaultQueueJob(input: z.output<typeof submitJobInputSchema>, now: number): { queue: string; job: NewJob } {
  return { queue: "default", job: toNewJob(input.type, input, now) };
}
