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
  /** A floor on the delay the failure asked for, e.g. an HTTP Retry-After or a rate limit's reset. */
  retryAfterMs?: number | null;
  /** The smart retry policy learned that this failure class does not recover. */
  neverRecovers?: boolean;
}

export type FailureDecision =
  | { kind: "retry"; runAt: number; delayMs: number }
  | { kind: "dead"; reason: "not_retryable" | "never_recovers" | "attempts_exhausted" };

/**
 * What happens after a failed attempt, in River's order: not retryable → dead; a class that
 * never recovers → dead; budget exhausted → dead; otherwise retry at the backoff time.
 */
export function decideFailure(failed: FailedAttempt, now: number, random: () => number = Math.random): FailureDecision {
  if (!failed.retryable) return { kind: "dead", reason: "not_retryable" };
  if (failed.neverRecovers) return { kind: "dead", reason: "never_recovers" };
  if (failed.attempt - failed.attemptBase >= failed.maxAttempts) return { kind: "dead", reason: "attempts_exhausted" };
  const backoff = backoffDelay(failed.backoff, failed.attempt - failed.attemptBase, failed.lastBackoffMs, random);
  const delayMs = Math.max(backoff, failed.retryAfterMs ?? 0);
  return { kind: "retry", runAt: now + delayMs, delayMs };
}
