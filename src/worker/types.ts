import type { LeasedJob } from "../client/types";

export type { LeasedJob };

/** What a handler gets besides the job. */
export interface WorkerJobContext {
  /** Aborted at the job's timeout, when the lease is lost, and when shutdown's grace period ends. */
  signal: AbortSignal;
  /** Reports progress (any JSON) with a heartbeat now; it shows on the job as `progress`. */
  progress(value: unknown): Promise<void>;
}

/** Runs one job; what it returns (JSON) is the job's result; a throw fails the attempt. */
export type WorkerHandler = (job: LeasedJob, context: WorkerJobContext) => unknown;

export interface WorkerOptions {
  /** edgeq's origin, e.g. `https://edgeq.example.workers.dev`. */
  url: string;
  /** An API key with the `producer` scope. */
  token: string;
  /** Pull queues to lease from, in turn. */
  queues: string[];
  /** Handlers by job type; a job of another type fails for good with `unknown_job_type`. */
  handlers: Record<string, WorkerHandler>;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** This worker's id in the registry and in attempt rows (default: host, pid and a random part). */
  id?: string;
  /** A readable name (default: the id). */
  name?: string;
  /** How long a lease lasts between heartbeats (default 30 s); heartbeats go out every third of it. */
  visibilityMs?: number;
  /** The wait between lease requests that found nothing (default 1 s). */
  pollIntervalMs?: number;
  /** On stop, how long in-flight jobs may take to finish before they are released (default 30 s). */
  graceMs?: number;
  /** Stop gracefully on SIGTERM and SIGINT (default true). */
  handleSignals?: boolean;
  /** Where the worker reports what it does (default: one JSON line per event on stderr). */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}
