import { JobTimeout, type JobError } from "../job-error";
import type { HandlerContext } from "../types";
import type { HandlerMiddleware } from "./compose";

/** Logs each attempt's start and end (with its run time and outcome) through the job's log. */
export function logging(): HandlerMiddleware {
  return async (ctx, next) => {
    ctx.log(`attempt ${ctx.job.attempt} of ${ctx.job.maxAttempts} started`);
    const started = performance.now();
    try {
      const result = await next();
      ctx.log(`attempt ${ctx.job.attempt} completed in ${Math.round(performance.now() - started)} ms`);
      return result;
    } catch (error) {
      ctx.log(`attempt ${ctx.job.attempt} failed in ${Math.round(performance.now() - started)} ms: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  };
}

/** Hands each attempt's handler run time (ms) and outcome to `record`, e.g. to feed your own metrics. */
export function timing(record: (ms: number, ok: boolean, ctx: HandlerContext) => void): HandlerMiddleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      const result = await next();
      record(performance.now() - started, true, ctx);
      return result;
    } catch (error) {
      record(performance.now() - started, false, ctx);
      throw error;
    }
  };
}

/**
 * Ends an attempt after `ms` with a timeout, aborting the signal the handler sees. It can only make
 * an attempt shorter than the job's `timeoutMs`: the lease is sized from that, so a longer budget
 * belongs on the job or its queue.
 */
export function timeout(ms: number): HandlerMiddleware {
  return async (ctx, next) => {
    const controller = new AbortController();
    const previous = ctx.signal;
    const abort = () => controller.abort(previous.reason);
    previous.addEventListener("abort", abort);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new JobTimeout(`job timed out after ${ms} ms (the timeout middleware)`);
        controller.abort(error);
        reject(error);
      }, ms);
    });
    ctx.signal = controller.signal;
    try {
      return await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
      ctx.signal = previous;
      previous.removeEventListener("abort", abort);
    }
  };
}

/**
 * Turns what a handler throws into what edgeq should do with it: return a JobError (e.g. not
 * retryable for a 4xx from your API) or undefined to leave the error as it is.
 */
export function mapErrors(map: (error: unknown, ctx: HandlerContext) => JobError | undefined): HandlerMiddleware {
  return async (ctx, next) => {
    try {
      return await next();
    } catch (error) {
      throw map(error, ctx) ?? error;
    }
  };
}
