import { EdgeqError, EdgeqTimeoutError } from "../client";

/** What `edgeq`'s exit status means, so scripts can branch on it (listed in `edgeq --help`). */
export const EXIT = {
  ok: 0,
  /** Anything unexpected, and the API's own 5xx. */
  failure: 1,
  /** Bad flags or arguments, or input the API refused (400, 413, 415). */
  usage: 2,
  notFound: 3,
  /** The resource's state does not allow it (409). */
  conflict: 4,
  /** No key, a bad key, or a key without the scope (401, 403). */
  auth: 5,
  rateLimited: 6,
  unreachable: 7,
  /** `jobs wait` gave up before the job finished. */
  timeout: 8,
  /** `jobs wait`: the job finished dead or cancelled. */
  jobFailed: 9,
} as const;

export const EXIT_HELP = `Exit codes:
  0  success                       5  no key, bad key or missing scope (401, 403)
  1  unexpected or server error    6  rate limited (429) after retries
  2  bad usage or input (400)      7  the API could not be reached
  3  not found (404)               8  jobs wait: timed out
  4  conflict with state (409)     9  jobs wait: the job ended dead or cancelled`;

/** A failure the CLI explains in one line and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The exit status for an error thrown by a command. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof EdgeqTimeoutError) return EXIT.timeout;
  if (!(error instanceof EdgeqError)) return EXIT.failure;
  if (error.code === "network_error") return EXIT.unreachable;
  const byStatus: Record<number, number> = { 400: EXIT.usage, 401: EXIT.auth, 403: EXIT.auth, 404: EXIT.notFound, 409: EXIT.conflict, 413: EXIT.usage, 415: EXIT.usage, 429: EXIT.rateLimited };
  return byStatus[error.status] ?? EXIT.failure;
}
