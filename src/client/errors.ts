import type { ErrorCode } from "./types";

/** An error the API answered with: its HTTP status, its machine-readable code, and its details. */
export class EdgeqError extends Error {
  override readonly name = "EdgeqError";

  constructor(
    readonly status: number,
    readonly code: ErrorCode | "network_error",
    message: string,
    readonly details: unknown = {},
    /** The `x-request-id` of the answer, to find its log lines. */
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

/** `waitFor` gave up before the job reached a final state. */
export class EdgeqTimeoutError extends Error {
  override readonly name = "EdgeqTimeoutError";

  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
    /** The job's state when the wait ended. */
    readonly lastState: string,
  ) {
    super(`job ${jobId} is still ${lastState} after ${timeoutMs} ms`);
  }
}
