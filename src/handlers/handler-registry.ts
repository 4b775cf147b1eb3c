import { compose, type HandlerMiddleware } from "./middleware/compose";
import type { HandlerLookup, JobHandler } from "./types";

/** Middleware registered for every job type. */
const ALL = "*";

/**
 * In-Worker handlers by job type, with middleware registered globally (`use("*", …)`) or per type
 * (`use("send-email", …)`); global middleware wraps per-type middleware, each in the order used.
 * Handlers are composed on first use and again after any change.
 */
export class HandlerRegistry implements HandlerLookup {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly middleware = new Map<string, HandlerMiddleware[]>();
  private readonly composed = new Map<string, JobHandler>();

  set(type: string, handler: JobHandler): this {
    this.handlers.set(type, handler);
    this.composed.clear();
    return this;
  }

  use(type: string, ...middleware: HandlerMiddleware[]): this {
    this.middleware.set(type, [...(this.middleware.get(type) ?? []), ...middleware]);
    this.composed.clear();
    return this;
  }

  get(type: string): JobHandler | undefined {
    const handler = this.handlers.get(type);
    if (!handler) return undefined;
    let wrapped = this.composed.get(type);
    if (!wrapped) {
      wrapped = compose([...(this.middleware.get(ALL) ?? []), ...(this.middleware.get(type) ?? [])], handler);
      this.composed.set(type, wrapped);
    }
    return wrapped;
  }
}
