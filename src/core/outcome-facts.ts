import { errorFingerprint } from "./error-fingerprint";
import { ATTEMPT_SLOTS, bucketIndex } from "./histogram";

/** What the rollups learn from one attempt's end, worked out before it is written. */
export interface OutcomeFacts {
  queue: string;
  type: string;
  durationBucket: number;
  /** Submit to now, for a completion (the SLA histogram). */
  latencyBucket: number;
  /** Which attempt of this run (after a manual retry, counting from its restart) this was, capped. */
  attemptSlot: number;
  fingerprint: string | null;
}

export function outcomeFacts(
  job: { queue: string; type: string; attempt: number; attemptBase: number; createdAt: Date },
  durationMs: number,
  now: number,
  error: { name: string; message: string } | null,
): OutcomeFacts {
  return {
    queue: job.queue,
    type: job.type,
    durationBucket: bucketIndex(durationMs),
    latencyBucket: bucketIndex(now - job.createdAt.getTime()),
    attemptSlot: Math.min(Math.max(job.attempt - job.attemptBase, 1), ATTEMPT_SLOTS) - 1,
    fingerprint: error ? errorFingerprint(error.name, error.message) : null,
  };
}
