import { describe, expect, it } from "vitest";
import type { Attempt, JobWithAttempts } from "../../src/client/types";
import { errorFingerprint } from "../../src/core/error-fingerprint";
import { analyzeFailure } from "../../src/mcp/failure-analysis";

const err = (message: string, extra: Partial<NonNullable<Attempt["error"]>> = {}) => ({ name: "Error", message, retryable: true, ...extra });

function attempt(n: number, outcome: Attempt["outcome"], error: Attempt["error"] = null): Attempt {
  return { attempt: n, outcome, startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:01.000Z", durationMs: 1000, error, runner: "worker" };
}

function job(attempts: Attempt[], state: JobWithAttempts["state"] = "dead"): JobWithAttempts {
  const last = attempts.at(-1)?.error ?? null;
  return {
    id: "00000000-0000-4000-8000-000000000001", queue: "emails", type: "send", state, priority: 5, payload: {}, result: null, error: last,
    attempt: attempts.length, maxAttempts: 3, attemptsLeft: 3 - attempts.length, backoff: { type: "fixed", delayMs: 1000 } as JobWithAttempts["backoff"],
    timeoutMs: 30_000, idempotencyKey: null, tags: [], callbackUrl: null, progress: null, runAt: "2026-01-01T00:00:00.000Z", createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z", startedAt: null, finishedAt: null, attempts, batchId: null, onDependencyFailure: "cancel",
    rateLimitKey: null, concurrencyKey: null, concurrencyLimit: null, debounceKey: null,
  };
}

describe("analyzeFailure", () => {
  it("says a job without an error has not failed", () => {
    expect(analyzeFailure(job([attempt(1, "completed")], "completed"), []).verdict).toBe("not_failed");
  });

  it("names a missing handler before anything else", () => {
    const a = analyzeFailure(job([attempt(1, "failed", err("no handler", { code: "unknown_job_type", retryable: false }))]), []);
    expect(a.verdict).toBe("unknown_job_type");
    expect(a.suggestions[0]).toContain('"send"');
  });

  it("tells timeouts, lost runners and permanent errors apart", () => {
    expect(analyzeFailure(job([attempt(1, "timeout", err("timed out")), attempt(2, "timeout", err("timed out"))]), []).verdict).toBe("timeout");
    expect(analyzeFailure(job([attempt(1, "lost", err("lease expired", { code: "lease_lost" }))]), []).verdict).toBe("lost");
    expect(analyzeFailure(job([attempt(1, "failed", err("card declined", { retryable: false }))]), []).verdict).toBe("not_retryable");
  });

  it("calls the same error on every attempt persistent, and differing ones transient", () => {
    const same = [attempt(1, "failed", err("HTTP 500 from 10.0.0.1")), attempt(2, "failed", err("HTTP 500 from 10.0.0.2"))];
    expect(analyzeFailure(job(same), []).verdict).toBe("persistent");
    const differing = [attempt(1, "failed", err("connection reset")), attempt(2, "failed", err("HTTP 502"))];
    expect(analyzeFailure(job(differing, "scheduled"), []).verdict).toBe("transient");
  });

  it("counts recent failures that share the error's fingerprint", () => {
    const e = err("HTTP 500 from 10.0.0.1");
    const top = [{ fingerprint: errorFingerprint(e.name, e.message), errorName: "Error", sampleMessage: e.message, count: 12, queues: ["emails", "hooks"], types: ["send"], lastSeenAt: "2026-01-01T00:00:00.000Z" }];
    const a = analyzeFailure(job([attempt(1, "failed", e)]), top);
    expect(a.similar).toMatchObject({ count: 12, queues: ["emails", "hooks"] });
    expect(a.suggestions.join(" ")).toContain("12 failures share this error");
  });
});
