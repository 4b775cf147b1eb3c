import { describe, expect, it } from "vitest";
import { evaluateCorpus, loadCorpus } from "../../bench/ai-eval/corpus";
import { analyzeFailure, classify, httpStatusOf, rateLimitResetMs, type FailureFacts } from "../../src/insights/analyzer";
import { failureFingerprint } from "../../src/insights/fingerprint";
import { verdictSchema } from "../../src/insights/verdict";

const facts = (message: string, more: Partial<FailureFacts> = {}): FailureFacts => ({
  queue: "q",
  type: "t",
  error: { name: "Error", message, retryable: true },
  timedOut: false,
  attempt: 1,
  maxAttempts: 3,
  previousFailures: 0,
  ...more,
});

describe("built-in failure analyzer", () => {
  it("labels at least 90% of the 200+ message corpus correctly", () => {
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const result = evaluateCorpus(corpus);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("reads HTTP statuses and rate-limit resets from messages", () => {
    expect(httpStatusOf({ message: "GET https://x.io answered 503: down", code: "http_503" })).toBe(503);
    expect(httpStatusOf({ message: "Request failed with status code 429" })).toBe(429);
    expect(httpStatusOf({ message: "Response code 404 (Not Found)" })).toBe(404);
    expect(httpStatusOf({ message: "connect ECONNREFUSED 127.0.0.1:5432" })).toBeNull();
    expect(rateLimitResetMs("Please try again in 2.5s.")).toBe(2500);
    expect(rateLimitResetMs("Retry-After: 30")).toBe(30_000);
    expect(rateLimitResetMs("reset in 1200ms")).toBe(1200);
    expect(rateLimitResetMs("Too Many Requests")).toBeNull();
  });

  it("lets a timeout outrank the message and a rate limit outrank its 503", () => {
    expect(classify({ error: { name: "Error", message: "boom", retryable: true }, timedOut: true }).category).toBe("timeout");
    expect(classify({ error: { name: "SlowDown", message: "answered 503: Please reduce your request rate.", retryable: true }, timedOut: false }).category).toBe("rate_limited");
  });

  it("answers a valid verdict with an action that follows the category and the budget", () => {
    const rate = analyzeFailure(facts("answered 429: Too Many Requests, retry after 120 seconds"));
    expect(verdictSchema.parse(rate)).toMatchObject({ failure_category: "rate_limited", suggested_action: "retry_later", eta_minutes: 2 });
    expect(rate.scaling_recommendation).toMatch(/concurrency/);
    expect(analyzeFailure(facts("Your card was declined.", { error: { name: "StripeCardError", message: "Your card was declined.", code: "card_declined", retryable: false } }))).toMatchObject({
      failure_category: "bad_input",
      suggested_action: "fix_payload",
      eta_minutes: null,
    });
    expect(analyzeFailure(facts("read ECONNRESET", { attempt: 3 }))).toMatchObject({ failure_category: "network", suggested_action: "dead_letter", eta_minutes: null });
    expect(analyzeFailure(facts("answered 502: Bad Gateway", { attempt: 3, maxAttempts: 5, previousFailures: 2 }))).toMatchObject({ suggested_action: "retry_later" });
    expect(analyzeFailure(facts("sorry, too many clients already"))).toMatchObject({ failure_category: "resource_exhausted", suggested_action: "scale_up" });
    expect(analyzeFailure(facts("Something went wrong")).confidence_score).toBeLessThan(0.5);
  });
});

describe("failure fingerprints", () => {
  const fp = (message: string, queue = "q") => failureFingerprint({ queue, type: "t", error: { name: "Error", message } });

  it("mask what varies per occurrence and keep what names the failure", () => {
    const a = fp("GET https://api.x.io/users/17 answered 404: no user 17");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fp("GET https://api.x.io/users/90210 answered 404: no user 90210")).toBe(a);
    expect(fp("GET https://api.x.io/users/17 answered 404: no user 17", "other")).not.toBe(a);
    expect(fp("GET https://api.x.io/users/17 answered 503: no user 17")).not.toBe(a);
    expect(fp("connect ECONNREFUSED 10.0.0.5:5432")).toBe(fp("connect ECONNREFUSED 10.0.0.9:5432"));
  });
});
