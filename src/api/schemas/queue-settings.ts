import { z } from "zod";
import { backoffSchema } from "../../core/backoff";
import { ratePolicySchema } from "../../core/rate-window";
import { QUEUE_MODES } from "../../core/states";

/** `PUT /api/v1/queues/:name`: any subset of a queue's settings. */
export const queueSettingsSchema = z
  .strictObject({
    concurrency: z.number().int().min(1).max(10_000).optional(),
    maxAttempts: z.number().int().min(1).max(1000).optional(),
    backoff: backoffSchema.optional(),
    timeoutMs: z.number().int().min(1).max(15 * 60_000).optional(),
    visibilityTimeoutMs: z.number().int().min(1000).max(12 * 3_600_000).optional(),
    paused: z.boolean().optional(),
    /** `smart`: dead-letter at once a failure class that history says never recovers; wait out rate limits. */
    retryPolicy: z.enum(["fixed", "smart"]).optional(),
    /** At most `limit` jobs dispatched in any `periodMs`, enforced by the queue's scheduler; null removes it. */
    rateLimit: ratePolicySchema.nullable().optional(),
    /** `pull`: workers lease the queue's jobs over HTTP; the Worker's consumer never gets them. */
    mode: z.enum(QUEUE_MODES).optional(),
  })
  .refine((s) => Object.keys(s).length > 0, "give at least one setting to change");
