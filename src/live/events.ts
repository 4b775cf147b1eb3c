import type { JobState } from "../core/states";
import type { AttemptResult } from "../db/queries/record-outcomes";
import type { JobRow, WorkerRow } from "../db/schema";
import type { SchedulerStats } from "../scheduler/types";

/**
 * What the LiveHub pushes to dashboards. `at` is epoch ms. `tenant` says whose event it is: a
 * tenant's key hears only its own; null (a shared queue's backlog, a consumer batch spanning
 * tenants) is heard by platform keys only.
 */
export type LiveEvent = { tenant: string | null } & (
  | { type: "job.completed"; queue: string; jobId: string; jobType: string; attempt: number; durationMs: number; at: number }
  | { type: "job.failed"; queue: string; jobId: string; jobType: string; attempt: number; durationMs: number; error: string; retryAt: number; at: number }
  | { type: "job.dead"; queue: string; jobId: string; jobType: string; attempt: number; durationMs: number; error: string; at: number }
  | { type: "queue.backlog"; queue: string; ready: number; delayed: number; leased: number; paused: boolean; at: number }
  | { type: "worker.batch"; runner: string; queues: string[]; jobs: number; completed: number; failed: number; durationMs: number; at: number }
  | { type: "batch.completed"; batchId: string; name: string; queues: string[]; total: number; counts: Partial<Record<JobState, number>>; at: number }
  | { type: "worker.joined"; workerId: string; name: string; queues: string[]; host: string | null; at: number }
  | { type: "worker.left"; workerId: string; name: string; queues: string[]; reason: "stopped" | "silent"; at: number }
);

export const LIVE_EVENT_TYPES = [
  "job.completed",
  "job.failed",
  "job.dead",
  "queue.backlog",
  "worker.batch",
  "batch.completed",
  "worker.joined",
  "worker.left",
] as const satisfies readonly LiveEvent["type"][];

/** The events for the outcomes that took effect. */
export function outcomeEvents(group: { job: JobRow; result: AttemptResult }[], applied: { has(id: string): boolean }, at: number): LiveEvent[] {
  return group.flatMap(({ job, result }): LiveEvent[] => {
    if (!applied.has(job.id)) return [];
    const common = { tenant: job.tenantId, queue: job.queue, jobId: job.id, jobType: job.type, attempt: result.attempt, durationMs: result.durationMs, at };
    if (result.state === "completed") return [{ type: "job.completed", ...common }];
    const error = result.error?.message ?? "unknown error";
    if (result.state === "dead") return [{ type: "job.dead", ...common, error }];
    return [{ type: "job.failed", ...common, error, retryAt: result.runAt?.getTime() ?? at }];
  });
}

/** A pull worker came or went (`stopped`: it said so; `silent`: its heartbeats stopped). */
export function workerEvent(type: "worker.joined", w: WorkerRow, at: number): LiveEvent;
export function workerEvent(type: "worker.left", w: WorkerRow, at: number, reason: "stopped" | "silent"): LiveEvent;
export function workerEvent(type: "worker.joined" | "worker.left", w: WorkerRow, at: number, reason?: "stopped" | "silent"): LiveEvent {
  const common = { tenant: w.tenantId, workerId: w.id, name: w.name, queues: w.queues, at };
  return type === "worker.joined" ? { type, ...common, host: w.host } : { type, ...common, reason: reason ?? "stopped" };
}

export function backlogEvent(stats: SchedulerStats, at: number): LiveEvent | null {
  if (!stats.queue) return null;
  return { type: "queue.backlog", tenant: stats.config.tenantId, queue: stats.queue, ready: stats.ready, delayed: stats.delayed, leased: stats.leased, paused: stats.config.paused, at };
}

/** Which events a subscriber asked for: its queues (none: all) and event types (none: all); `tenant` is its key's, fixed at connect. */
export interface Subscription {
  tenant: string | null;
  queues: string[];
  types: string[];
}

export function wants(s: Subscription, e: LiveEvent): boolean {
  if (s.tenant !== null && e.tenant !== s.tenant) return false;
  if (s.types.length > 0 && !s.types.includes(e.type)) return false;
  if (s.queues.length === 0) return true;
  return "queue" in e ? s.queues.includes(e.queue) : e.queues.some((q) => s.queues.includes(q));
}
