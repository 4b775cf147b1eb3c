import { DEFAULT_QUEUE } from "../../core/tenancy";
import { z } from "zod";
import { backoffSchema } from "../../core/backoff";
import { delaySchema } from "../../core/duration";
import { DEPENDENCY_FAILURE_POLICIES } from "../../core/dependencies";
import { DEFAULT_PRIORITY, prioritySchema } from "../../core/priority";
import type { NewJob } from "../../db/queries/insert-jobs";
import { TOO_LARGE } from "../errors";
import { isoTimeSchema, jobIdSchema, queueNameSchema, rateLimitKeySchema } from "./common";

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_BATCH = 1000;
/** Dependencies one job may name. */
export const MAX_DEPENDENCIES = 1000;

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

/** Orchestration and flow control: what only `POST /api/v1/jobs` and the batch forms accept. */
const flowOptions = {
  /** The producer's own id (a UUID): resubmitting it returns the stored job, and jobs of one batch can name each other in `dependsOn`. */
  id: jobIdSchema.optional(),
  dependsOn: z.array(jobIdSchema).max(MAX_DEPENDENCIES).optional(),
  onDependencyFailure: z.enum(DEPENDENCY_FAILURE_POLICIES).optional(),
  rateLimitKey: rateLimitKeySchema.optional(),
  concurrencyKey: z.string().min(1).max(200).optional(),
  concurrencyLimit: z.number().int().min(1).max(10_000).optional(),
  debounce: z.strictObject({ key: z.string().min(1).max(200), delayMs: z.number().int().min(1).max(366 * 86_400_000) }).optional(),
};

/** Combinations the flow options do not allow. */
function checkFlow(job: { [K in keyof typeof flowOptions]?: z.output<(typeof flowOptions)[K]> } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (job.concurrencyLimit !== undefined && job.concurrencyKey === undefined) ctx.addIssue({ code: "custom", path: ["concurrencyLimit"], message: "concurrencyLimit needs a concurrencyKey" });
  if (job.onDependencyFailure !== undefined && !job.dependsOn?.length) ctx.addIssue({ code: "custom", path: ["onDependencyFailure"], message: "onDependencyFailure needs dependsOn" });
  if (job.id !== undefined && job.dependsOn?.includes(job.id)) ctx.addIssue({ code: "custom", path: ["dependsOn"], message: `job ${job.id} cannot depend on itself` });
  if (job.debounce) {
    // The debounce decides the run time and which job a submission is; these would contradict it.
    for (const field of ["delay", "delayMs", "runAt", "idempotencyKey", "id", "dependsOn"]) {
      if (job[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `debounce sets the job's time and identity; ${field} cannot be given with it` });
    }
  }
}

/** `POST /api/v1/jobs` and each element of a batch. */
export const jobInputSchema = z
  .strictObject({
    queue: queueNameSchema.default(DEFAULT_QUEUE),
    type: jobTypeSchema,
    ...jobOptions,
    ...flowOptions,
    /** Told the job's final outcome (completed or dead), signed with the deployment's signing secret. */
    callbackUrl: z.string().max(2000).optional(),
  })
  .superRefine(checkPayload)
  .superRefine(checkFlow);

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

/** Two jobs of one request may not share a debounce key: each would replace the other. */
function checkBatchDebounce(body: { jobs: JobInput[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  body.jobs.forEach((job, i) => {
    if (!job.debounce) return;
    const key = `${job.queue}\u0000${job.debounce.key}`;
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["jobs", i, "debounce", "key"], message: `debounce key "${job.debounce.key}" appears twice in the ${job.queue} queue` });
    seen.add(key);
  });
}

/** `POST /api/v1/jobs/batch`: up to 1,000 jobs; `queue` is the default for jobs that name none. */
export const batchInputSchema = z.preprocess(
  inheritBatchQueue,
  z
    .strictObject({
      queue: queueNameSchema.optional(),
      jobs: z.array(jobInputSchema).min(1, "a batch holds at least one job").max(MAX_BATCH, `a batch holds at most ${MAX_BATCH} jobs`),
    })
    .superRefine(checkBatchDebounce),
);

/** Jobs `POST /api/v1/job-batches` takes in one request. */
export const MAX_JOB_BATCH = 10_000;

const jobBatchBodySchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    queue: queueNameSchema.optional(),
    callbackUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    jobs: z.array(jobInputSchema).min(1, "a batch holds at least one job").max(MAX_JOB_BATCH, `a batch holds at most ${MAX_JOB_BATCH} jobs`),
  })
  .superRefine(checkBatchDebounce);

/** A job batch as a caller writes it (the preprocess step below hides this type from the route). */
export type JobBatchBody = z.input<typeof jobBatchBodySchema>;

/** `POST /api/v1/job-batches`: a named batch of up to 10,000 jobs, tracked to its completion. */
export const jobBatchInputSchema = z.preprocess(inheritBatchQueue, jobBatchBodySchema);

/** `POST /submit-job`, the short form simpler queues use: no queue field, same options. */
export const submitJobInputSchema = z.strictObject({ type: jobTypeSchema, ...jobOptions }).superRefine(checkPayload);

/**
 * The job a schedule enqueues at each fire: the options of `POST /api/v1/jobs` except the timing
 * (the fire time is its `runAt`) and the idempotency key (each fire has its own).
 */
export const jobTemplateSchema = z
  .strictObject({
    queue: queueNameSchema.default(DEFAULT_QUEUE),
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
  const job = toNewJob(input.type, input, now);
  return {
    queue: input.queue,
    job: {
      ...job,
      id: input.id,
      dependsOn: input.dependsOn && [...new Set(input.dependsOn)],
      onDependencyFailure: input.onDependencyFailure,
      callbackUrl: input.callbackUrl,
      rateLimitKey: input.rateLimitKey,
      concurrencyKey: input.concurrencyKey,
      concurrencyLimit: input.concurrencyLimit,
      ...(input.debounce ? { debounceKey: input.debounce.key, runAt: new Date(now + input.debounce.delayMs) } : {}),
    },
  };
}

export function toDefaultQueueJob(input: z.output<typeof submitJobInputSchema>, now: number): { queue: string; job: NewJob } {
  return { queue: DEFAULT_QUEUE, job: toNewJob(input.type, input, now) };
}
