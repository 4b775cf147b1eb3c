import { describe, expect, it } from "vitest";
import type { Backoff } from "../../src/core/backoff";
import { decideFailure } from "../../src/core/failure-decision";

const backoff: Backoff = { type: "exponential", baseMs: 1000, capMs: 60_000, jitter: "none" };
const failed = { attempt: 1, attemptBase: 0, maxAttempts: 3, backoff, lastBackoffMs: null, retryable: true };

describe("decideFailure", () => {
  it("retries at now plus the backoff while attempts remain", () => {
    expect(decideFailure(failed, 10_000)).toEqual({ kind: "retry", runAt: 11_000, delayMs: 1000 });
    expect(decideFailure({ ...failed, attempt: 2 }, 10_000)).toEqual({ kind: "retry", runAt: 12_000, delayMs: 2000 });
  });

  it("dead-letters when the budget is spent", () => {
    expect(decideFailure({ ...failed, attempt: 3 }, 0)).toEqual({ kind: "dead", reason: "attempts_exhausted" });
  });

  it("dead-letters a non-retryable failure at once, even with attempts left", () => {
    expect(decideFailure({ ...failed, retryable: false }, 0)).toEqual({ kind: "dead", reason: "not_retryable" });
  });

  it("counts the budget from the last manual retry", () => {
    expect(decideFailure({ ...failed, attempt: 4, attemptBase: 3 }, 0).kind).toBe("retry");
    expect(decideFailure({ ...failed, attempt: 6, attemptBase: 3 }, 0).kind).toBe("dead");
  });

  it("waits at least as long as Retry-After asks", () => {
    expect(decideFailure({ ...failed, retryAfterMs: 30_000 }, 0)).toEqual({ kind: "retry", runAt: 30_000, delayMs: 30_000 });
  });
});
