import { errorFingerprint } from "../core/error-fingerprint";
import type { AnalyticsResult, JobWithAttempts } from "../client/types";

type TopError = AnalyticsResult<"errors">["errors"][number];

export type FailureVerdict = "not_failed" | "unknown_job_type" | "timeout" | "lost" | "not_retryable" | "persistent" | "transient";

/** What `analyze_failure` tells an assistant about a job's failure, from its attempts alone. */
export interface FailureAnalysis {
  jobId: string;
  state: string;
  verdict: FailureVerdict;
  summary: string;
  lastError: JobWithAttempts["error"];
  attempts: { total: number; completed: number; failed: number; timeouts: number; lost: number; attemptsLeft: number };
  /** Other recent failures with the same fingerprint, across queues. */
  similar: { fingerprint: string; count: number; queues: string[]; lastSeenAt: string } | null;
  suggestions: string[];
}

/**
 * Explains why a job failed from its last error, its attempt history and the recent top errors:
 * a verdict in a fixed order (wrong type, timeouts, lost runners, permanent errors, the same error
 * every time, otherwise transient), and what to do next.
 */
export function analyzeFailure(job: JobWithAttempts, topErrors: readonly TopError[]): FailureAnalysis {
  const outcomes = job.attempts.map((a) => a.outcome);
  const count = (o: string) => outcomes.filter((x) => x === o).length;
  const attempts = { total: job.attempts.length, completed: count("completed"), failed: count("failed"), timeouts: count("timeout"), lost: count("lost"), attemptsLeft: job.attemptsLeft };
  const error = job.error;
  const fingerprint = error ? errorFingerprint(error.name, error.message) : null;
  const match = fingerprint ? topErrors.find((e) => e.fingerprint === fingerprint) : undefined;
  const similar = match ? { fingerprint: match.fingerprint, count: match.count, queues: match.queues, lastSeenAt: match.lastSeenAt } : null;
  const base = { jobId: job.id, state: job.state, lastError: error, attempts, similar };

  if (!error) {
    return { ...base, verdict: "not_failed", summary: `job ${job.id} is ${job.state} and has no error`, suggestions: [] };
  }
  const failedErrors = job.attempts.filter((a) => a.error).map((a) => errorFingerprint(a.error!.name, a.error!.message));
  const sameEveryTime = failedErrors.length > 1 && failedErrors.every((f) => f === failedErrors[0]);
  const suggestions: string[] = [];
  let verdict: FailureVerdict;
  if (error.code === "unknown_job_type") {
    verdict = "unknown_job_type";
    suggestions.push(`no handler is registered for type "${job.type}": check the type's spelling or register a handler, then retry the job`);
  } else if (attempts.timeouts > 0 && attempts.timeouts === attempts.total - attempts.completed) {
    verdict = "timeout";
    suggestions.push(`every attempt ran past its ${job.timeoutMs} ms timeout: raise timeoutMs for this job or its queue, or split the work`);
  } else if (attempts.lost > 0 || error.code === "lease_lost") {
    verdict = "lost";
    suggestions.push("the runner stopped without reporting (a crash or a limit of the Worker): check the handler's memory and CPU use");
  } else if (!error.retryable) {
    verdict = "not_retryable";
    suggestions.push("the handler marked this error as permanent: fix the payload or the handler, then retry the job");
  } else if (sameEveryTime) {
    verdict = "persistent";
    suggestions.push("every attempt failed the same way: more retries will not help until the cause is fixed");
  } else {
    verdict = "transient";
    suggestions.push("the failures differ or happened once: a retry may well succeed");
  }
  if (similar && similar.count > 1) {
    suggestions.push(`${similar.count} failures share this error recently (queues: ${similar.queues.join(", ")}): the cause is likely shared (a dependency, a deploy), not this job's payload`);
  }
  if (job.state === "dead") suggestions.push("retry_dlq_job puts it back in its queue with a fresh attempt budget once the cause is fixed");
  const summary = `job ${job.id} (${job.type} on ${job.queue}) is ${job.state} after ${attempts.total} attempt(s); last error ${error.name}: ${error.message}`;
  return { ...base, verdict, summary, suggestions };
}
