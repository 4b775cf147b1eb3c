import { QUEUE_DEFAULTS } from "../core/queue-defaults";
import type { QueueRow } from "../db/schema";

/** The slice of a queue's settings the scheduler enforces; `version` orders updates. */
export type SchedulerConfig = Pick<QueueRow, "concurrency" | "paused" | "visibilityTimeoutMs" | "version" | "rateLimit" | "mode" | "tenantId">;

/** What a scheduler enforces before any config reached it. */
export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = {
  concurrency: QUEUE_DEFAULTS.concurrency,
  paused: false,
  visibilityTimeoutMs: QUEUE_DEFAULTS.visibilityTimeoutMs,
  rateLimit: null,
  mode: "push",
  tenantId: null,
  version: 0,
};

/** What the scheduler needs of a job to order, time and lease it. Times are epoch ms. */
export interface EnqueueItem {
  id: string;
  priority: number;
  runAt: number;
  timeoutMs: number;
  /** A shared rate-limit key each dispatch counts against. */
  rateKey: string | null;
  /** A concurrency key and the most jobs of it that may run at once, across queues. */
  concKey: string | null;
  concLimit: number | null;
}

/** A job leased to a consumer until `deadline` (epoch ms). */
export interface Lease {
  id: string;
  lease: number;
  deadline: number;
}

/** A lease just given, with what flow control must check before it is sent. */
export type LeasedEntry = Lease & Pick<EnqueueItem, "rateKey" | "concKey" | "concLimit">;

/** A concurrency slot a finished or forgotten lease gives back. */
export interface SlotRelease {
  key: string;
  id: string;
  lease: number;
}

/** The consumer's word on a lease: drop the entry (final or gone), or hold it until a retry is due. */
export type LeaseReport =
  | { id: string; lease: number; kind: "drop" }
  | ({ kind: "retry"; lease: number } & EnqueueItem);

export interface TickResult {
  promoted: number;
  expired: number;
  dispatched: number;
}

export interface SchedulerStats {
  queue: string | null;
  ready: number;
  delayed: number;
  leased: number;
  config: SchedulerConfig;
  /** When the alarm will next fire (epoch ms), if anything is pending. */
  nextWakeAt: number | null;
  /** Bytes of the scheduler's SQLite storage: what a backlog costs it. */
  storageBytes: number;
}
