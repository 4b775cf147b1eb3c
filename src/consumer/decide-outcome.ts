import { decideFailure } from "../core/failure-decision";
import { outcomeFacts } from "../core/outcome-facts";
import type { JobRow } from "../db/schema";
import type { AttemptResult } from "../db/queries/record-outcomes";
import type { RetryAdvice } from "../insights/retry-policy";
import type { Execution } from "./execute-job";

/**
 * The job's next state after one attempt: completed, scheduled for a retry at the backoff time,
 * or dead. Pure: the clock, the jitter's randomness and the smart policy's advice come in as arguments.
 */
export function decideOutcome(job: JobRow, execution: Execution, now: number, random: () => number = Math.random, advice?: RetryAdvice): AttemptResult {
  const base = {
    id: job.id,
    lease: job.leaseSeq ?? 0,
    attempt: job.attempt,
    durationMs: execution.durationMs,
    facts: outcomeFacts(job, execution.durationMs, now, execution.ok ? null : execution.error),
  };
  if (execution.ok) return { ...base, state: "completed", outcome: "completed", result: execution.result };
  const decision = decideFailure(
    {
      attempt: job.attempt,
      attemptBase: job.attemptBase,
      maxAttempts: job.maxAttempts,
      backoff: job.backoff,
      lastBackoffMs: job.lastBackoffMs,
      retryable: execution.error.retryable,
      retryAfterMs: Math.max(execution.retryAfterMs ?? 0, advice?.waitMs ?? 0) || null,
      neverRecovers: advice?.neverRecovers,
    },
    now,
    random,
  );
  const outcome = execution.timedOut ? "timeout" : "failed";
  if (decision.kind === "dead") return { ...base, state: "dead", outcome, error: execution.error };
  return { ...base, state: "scheduled", outcome, error: execution.error, runAt: new Date(decision.runAt), backoffMs: decision.delayMs };
}

/**
 * A claim past the attempt budget means earlier runners died holding the job (every attempt so far
 * ended with an expired lease): it is dead without running again.
 */
export function exhaustedByLostLeases(job: JobRow): Execution | null {
  if (job.attempt - job.attemptBase <= job.maxAttempts) return null;
  return {
    ok: false,
    error: {
      name: "LeaseLost",
      message: `the runner was lost (lease expired) on each of ${job.maxAttempts} attempts`,
      code: "lease_lost",
      retryable: false,
    },
    timedOut: false,
    retryAfterMs: null,
    durationMs: 0,
  };
}
