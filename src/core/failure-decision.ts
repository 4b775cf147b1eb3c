import { backoffDelay, type Backoff } from "./backoff";

export interface FailedAttempt {
  /** The attempt that just failed, counted over the job's whole life (1-based). */
  attempt: number;
  /** Attempts made before the last manual retry; the budget counts from here. */
  attemptBase: number;
  maxAttempts: number;
  backoff: Backoff;
  lastBackoffMs: number | null;
  /** False when the handler said so (a typed error) or the failure can never succeed (unknown type). */
  retryable: boolean;
  /** A floor on the delay the failure asked for, e.g. an HTTP Retry-After. */
  retryAfterMs?: number | null;
}

export type FailureDecision =
  | { kind: "retry"; runAt: number; delayMs: number }
  | { kind: "dead"; reason: "not_retryable" | "attempts_exhausted" };

/**
 * What happens after a failed attempt, in River's order: not retryable → dead;
 * budget exhausted → dead; otherwise retry at the backoff time.
 */
export function decideFailure(failed: FailedAttempt, now: number, random: () => number = Math.random): FailureDecision {
  if (!failed.retryable) return { kind: "dead", reason: "not_retryable" };
  if (failed.attempt - failed.attemptBase >= failed.maxAttempts) return { kind: "dead", reason: "attempts_exhausted" };
  const backoff = backoffDelay(failed.backoff, failed.attempt - failed.attemptBase, failed.lastBackoffMs, random);
  const delayMs = Math.max(backoff, failed.retryAfterMs ?? 0);
  return { kind: "retry", runAt: now + delayMs, delayMs };
}
