/**
 * What the audit trail records of a job, one row per transition, written by the same statement as
 * the transition itself:
 * - `submitted`: inserted (its state then in `data`); `scheduled` and `waiting` follow when it was
 *   delayed or waits for dependencies;
 * - `released`: its last dependency completed, so it is queued;
 * - `leased`: a pull worker leased it; `started`: the Worker's consumer began an attempt;
 * - `progress`: a pull worker reported progress; `lost`: a lease ended with no outcome;
 * - `completed`, `failed` (an attempt), `retried` (a retry is scheduled), `dead_lettered`;
 * - `cancelled` (by a key, or because a dependency failed); `redriven` (a dead or cancelled job queued
 *   again); `returned` (a pull worker gave it back unrun).
 */
export const JOB_EVENT_KINDS = [
  "submitted",
  "scheduled",
  "waiting",
  "released",
  "leased",
  "started",
  "progress",
  "lost",
  "completed",
  "failed",
  "retried",
  "dead_lettered",
  "cancelled",
  "redriven",
  "returned",
] as const;
export type JobEventKind = (typeof JOB_EVENT_KINDS)[number];

/** Who made a transition: an API key (by name), a runner (the consumer's isolate or a pull worker), or edgeq itself. */
export const actorOfKey = (keyName: string) => `key:${keyName}`;
export const SYSTEM_ACTOR = "edgeq";
/** Jobs a schedule fired were submitted by the cron tick. */
export const SCHEDULES_ACTOR = "schedules";
