import type { HandlerContext, JobHandler } from "../types";

/** Runs the rest of the chain (the next middleware, then the handler) and returns its result. */
export type Next = () => Promise<unknown>;

/**
 * Wraps every attempt of the handlers it is registered for, as Hono's middleware wraps a request:
 * code before `await next()` runs first, code after it sees the result or the thrown error, and
 * returning without calling `next` answers in the handler's place.
 */
export type HandlerMiddleware = (ctx: HandlerContext, next: Next) => Promise<unknown>;

/** The handler wrapped by the middleware, the first one outermost. */
export function compose(middleware: readonly HandlerMiddleware[], handler: JobHandler): JobHandler {
  return (ctx) => {
    const run = (i: number): Promise<unknown> => {
      if (i === middleware.length) return Promise.resolve().then(() => handler(ctx));
      let called = false;
      return middleware[i]!(ctx, () => {
        if (called) return Promise.reject(new Error("a handler middleware called next() twice"));
        called = true;
        return run(i + 1);
      });
    };
    return run(0);
  };
}
