import type { JobErrorRecord, JobRow } from "../db/schema";
import type { HandlerLookup } from "../handlers/types";
import { JobError, JobTimeout } from "../handlers/job-error";
import { toErrorRecord } from "./error-record";
import { log } from "../log";

export type Execution =
  | { ok: true; result: unknown; durationMs: number }
  | { ok: false; error: JobErrorRecord; timedOut: boolean; retryAfterMs: number | null; durationMs: number };

/**
 * Runs one attempt under `timeoutMs` (the job's timeout unless its handler has a shorter one). The
 * handler gets an AbortSignal; the attempt ends at the timeout even if the handler ignores the
 * signal. Never throws: failures are returned.
 */
export async function executeJob(job: JobRow, handlers: HandlerLookup, timeoutMs = job.timeoutMs): Promise<Execution> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const handler = handlers.get(job.type);
  if (!handler) {
    const error = new JobError(`no handler is registered for job type "${job.type}"`, { retryable: false, code: "unknown_job_type" });
    return { ok: false, error: toErrorRecord(error), timedOut: false, retryAfterMs: null, durationMs: 0 };
  }
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeout(`job timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([
      Promise.resolve().then(() =>
        handler({
          payload: job.payload,
          job,
          signal: controller.signal,
          log: (message) => log("info", message, { jobId: job.id, queue: job.queue, type: job.type, attempt: job.attempt }),
        }),
      ),
      timeout,
    ]);
    // The result is stored as JSON; a value that cannot be is a handler bug, not a success.
    return { ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)), durationMs: elapsed() };
  } catch (thrown) {
    return {
      ok: false,
      error: toErrorRecord(thrown),
      timedOut: thrown instanceof JobTimeout,
      retryAfterMs: thrown instanceof JobError ? (thrown.retryAfterMs ?? null) : null,
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
  }
}
