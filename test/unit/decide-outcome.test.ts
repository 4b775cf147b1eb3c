import { describe, expect, it } from "vitest";
import { decideOutcome, exhaustedByLostLeases } from "../../src/consumer/decide-outcome";
import type { JobRow } from "../../src/db/schema";

const job: JobRow = {
  id: "0190b7a0-0000-7000-8000-000000000001",
  queue: "q",
  tenantId: null,
  type: "fail",
  payload: null,
  priority: 5,
  state: "running",
  runAt: new Date(0),
  attempt: 1,
  attemptBase: 0,
  maxAttempts: 2,
  backoff: { type: "fixed", delayMs: 1000, jitter: "none" },
  lastBackoffMs: null,
  timeoutMs: 1000,
  idempotencyKey: null,
  tags: [],
  result: null,
  lastError: null,
  leaseSeq: 42,
  leaseExpiresAt: null,
  callbackUrl: null,
  progress: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  startedAt: new Date(0),
  finishedAt: null,
  batchId: null,
  onDependencyFailure: "cancel",
  hasDependents: false,
  rateLimitKey: null,
  concurrencyKey: null,
  concurrencyLimit: null,
  debounceKey: null,
};
const error = { name: "Error", message: "boom", retryable: true };

describe("decideOutcome", () => {
  it("completes with the handler's result under the job's lease", () => {
    expect(decideOutcome(job, { ok: true, result: { a: 1 }, durationMs: 3 }, 0)).toMatchObject({ state: "completed", outcome: "completed", lease: 42, result: { a: 1 } });
  });

  it("schedules a retry at the backoff time, recording a timeout as such", () => {
    const r = decideOutcome(job, { ok: false, error, timedOut: true, retryAfterMs: null, durationMs: 1000 }, 5000);
    expect(r).toMatchObject({ state: "scheduled", outcome: "timeout", backoffMs: 1000 });
    expect(r.runAt?.getTime()).toBe(6000);
  });

  it("dead-letters on the last attempt", () => {
    const r = decideOutcome({ ...job, attempt: 2 }, { ok: false, error, timedOut: false, retryAfterMs: null, durationMs: 1 }, 0);
    expect(r).toMatchObject({ state: "dead", outcome: "failed", error });
  });
});

describe("exhaustedByLostLeases", () => {
  it("lets a claim within the budget run, and kills one past it", () => {
    expect(exhaustedByLostLeases({ ...job, attempt: 2 })).toBeNull();
    expect(exhaustedByLostLeases({ ...job, attempt: 3 })).toMatchObject({ ok: false, error: { code: "lease_lost", retryable: false } });
  });
});
