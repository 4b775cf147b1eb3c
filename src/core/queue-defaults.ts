import type { Backoff } from "./backoff";

/** A new queue's settings: the schema's column defaults and the scheduler's until told otherwise. */
export const QUEUE_DEFAULTS = {
  concurrency: 50,
  maxAttempts: 3,
  backoff: { type: "exponential", baseMs: 1000, capMs: 3_600_000, jitter: "full" } satisfies Backoff as Backoff,
  timeoutMs: 30_000,
  visibilityTimeoutMs: 30_000,
} as const;
