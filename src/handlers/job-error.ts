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
