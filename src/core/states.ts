/** Every state a job can be in; see DESIGN.md "Job states". */
export const JOB_STATES = ["waiting", "scheduled", "queued", "running", "completed", "dead", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States a job never leaves by itself (only a manual retry moves a dead or cancelled job). */
export const FINAL_STATES = ["completed", "dead", "cancelled"] as const satisfies readonly JobState[];

/** States the scheduler holds an entry for. */
export const ACTIVE_STATES = ["scheduled", "queued", "running"] as const satisfies readonly JobState[];

/** States a cancel may move from: anything not yet leased and not final. */
export const CANCELLABLE_STATES = ["waiting", "scheduled", "queued"] as const satisfies readonly JobState[];

/** States a manual retry may move from. */
export const RETRYABLE_STATES = ["dead", "cancelled"] as const satisfies readonly JobState[];

export function isFinal(state: JobState): boolean {
  return (FINAL_STATES as readonly JobState[]).includes(state);
}

/** Outcome recorded on one attempt row. `lost` means the lease expired with no outcome (the runner died). */
export const ATTEMPT_OUTCOMES = ["completed", "failed", "timeout", "lost"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** How a queue's jobs run: pushed to the Worker's consumer, or pulled by workers over HTTP. */
export const QUEUE_MODES = ["push", "pull"] as const;
export type QueueMode = (typeof QUEUE_MODES)[number];
