import type { JobRow } from "../db/schema";

/** What a handler is given for one attempt. */
export interface HandlerContext<P = unknown> {
  payload: P;
  job: Pick<JobRow, "id" | "queue" | "type" | "attempt" | "maxAttempts" | "tags" | "createdAt">;
  /** Aborted when the job's timeout passes; pass it to fetch and long waits. */
  signal: AbortSignal;
  log(message: string): void;
}

/** A job handler: its return value (JSON) is the job's result; a throw is a failed attempt. */
export type JobHandler<P = unknown> = (ctx: HandlerContext<P>) => Promise<unknown> | unknown;

/** Where the consumer finds the handler for a job type (a registry, with its middleware applied). */
export interface HandlerLookup {
  get(type: string): JobHandler | undefined;
}
