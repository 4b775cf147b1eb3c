/**
 * Thrown by a handler to say how its failure should be treated: `retryable: false` sends the job
 * to the dead-letter queue at once; `retryAfterMs` puts a floor under the next backoff.
 */
export class JobError extends Error {
  readonly retryable: boolean;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable?: boolean; code?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "JobError";
    this.retryable = options.retryable ?? true;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** An attempt that ran out of time: the job's timeout, or a shorter one from the `timeout` middleware. */
export class JobTimeout extends Error {
  override name = "TimeoutError";
}

/**
 * A non-2xx answer as a job error: 408, 429 and 5xx retry (after Retry-After, when given); any
 * other status fails for good, since sending the same request again cannot change it.
 */
export function httpStatusError(what: string, status: number, body: string, retryAfterMs: number | null): JobError {
  const retryable = status === 408 || status === 429 || status >= 500;
  return new JobError(`${what} answered ${status}: ${body.slice(0, 500)}`, { retryable, code: `http_${status}`, retryAfterMs: retryAfterMs ?? undefined });
}
