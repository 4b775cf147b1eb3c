import { describe, expect, it } from "vitest";
import { simulateRetries } from "../../bench/ai-eval/retry-sim";
import { decideFailure } from "../../src/core/failure-decision";
import { smartAdvice, SMART_POLICY } from "../../src/insights/retry-policy";

describe("smart retry policy", () => {
  it("dead-letters a class only once enough samples show it does not recover", () => {
    expect(smartAdvice("bad_input", "Your card was declined.", { samples: 40, recovered: 0 })).toEqual({ neverRecovers: true, waitMs: null });
    expect(smartAdvice("bad_input", "Your card was declined.", { samples: SMART_POLICY.minSamples - 1, recovered: 0 }).neverRecovers).toBe(false);
    expect(smartAdvice("network", "read ECONNRESET", { samples: 40, recovered: 12 }).neverRecovers).toBe(false);
    expect(smartAdvice("network", "read ECONNRESET", undefined).neverRecovers).toBe(false);
  });

  it("waits out a rate limit until its reset, or a minute when it gives none", () => {
    expect(smartAdvice("rate_limited", "429 Too Many Requests, retry after 30 seconds", undefined)).toEqual({ neverRecovers: false, waitMs: 30_000 });
    expect(smartAdvice("rate_limited", "Too Many Requests", { samples: 100, recovered: 0 })).toEqual({ neverRecovers: false, waitMs: 60_000 });
  });

  it("plugs into the failure decision: never-recovers is dead at once, a wait is a floor under the backoff", () => {
    const failed = { attempt: 1, attemptBase: 0, maxAttempts: 5, backoff: { type: "fixed", delayMs: 1000, jitter: "none" } as const, lastBackoffMs: null, retryable: true };
    expect(decideFailure({ ...failed, neverRecovers: true }, 0)).toEqual({ kind: "dead", reason: "never_recovers" });
    expect(decideFailure({ ...failed, retryAfterMs: 30_000 }, 0)).toEqual({ kind: "retry", runAt: 30_000, delayMs: 30_000 });
    expect(decideFailure(failed, 0)).toEqual({ kind: "retry", runAt: 1000, delayMs: 1000 });
  });

  it("wastes at least 30% fewer attempts than the fixed policy, losing no more than 1% of successes, on the simulated workload", () => {
    for (const seed of [1, 2, 3]) {
      const fixed = simulateRetries("fixed", seed);
      const smart = simulateRetries("smart", seed);
      expect(smart.wastedAttempts).toBeLessThanOrEqual(fixed.wastedAttempts * 0.7);
      expect(smart.successes).toBeGreaterThanOrEqual(fixed.successes * 0.99);
    }
  });
});
