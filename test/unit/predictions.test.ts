import { describe, expect, it } from "vitest";
import { evaluatePredictor } from "../../bench/ai-eval/predictor-eval";
import { estimateEta, recommendConcurrency, slowJobSuggestion } from "../../src/insights/capacity";
import { auc, fitSuccessModel, predictSuccess } from "../../src/insights/predictor";

describe("success predictor", () => {
  it("computes AUC as the chance a positive outranks a negative", () => {
    expect(auc([{ score: 0.9, positive: true }, { score: 0.1, positive: false }])).toBe(1);
    expect(auc([{ score: 0.1, positive: true }, { score: 0.9, positive: false }])).toBe(0);
    expect(auc([{ score: 0.5, positive: true }, { score: 0.5, positive: false }])).toBe(0.5);
  });

  it("learns which job types fail and names them as drivers", () => {
    const samples = Array.from({ length: 400 }, (_, i) => ({
      features: { type: i % 2 ? "flaky" : "solid", queue: "q", payloadBytes: 1000, backlog: 10, attempt: 1 },
      success: i % 2 ? i % 10 === 1 : i % 20 !== 0,
    }));
    const model = fitSuccessModel(samples);
    const flaky = predictSuccess(model, { type: "flaky", queue: "q", payloadBytes: 1000, backlog: 10, attempt: 1 });
    const solid = predictSuccess(model, { type: "solid", queue: "q", payloadBytes: 1000, backlog: 10, attempt: 1 });
    expect(flaky.probability).toBeLessThan(0.35);
    expect(solid.probability).toBeGreaterThan(0.85);
    expect(flaky.drivers[0]!.feature).toMatch(/^type=/);
    // A type it never saw falls back to the other features.
    expect(predictSuccess(model, { type: "new", queue: "q", payloadBytes: 1000, backlog: 10, attempt: 1 }).probability).toBeGreaterThan(0.3);
  });

  it("scores above 0.8 AUC on held-out simulated history", () => {
    const result = evaluatePredictor(1);
    expect(result.auc).toBeGreaterThan(0.8);
    expect(result.accuracy).toBeGreaterThan(result.majorityBaseline);
  });
});

describe("capacity", () => {
  const load = { arrivalPerSec: 10, serviceMs: 2000, attemptsPerJob: 1, backlog: 0, throughputPerSec: 10, concurrency: 10 };

  it("sizes concurrency by Little's law for a latency target", () => {
    // 20 attempts in flight; a 4 s target allows 50% utilisation: 40 slots.
    expect(recommendConcurrency(load, 4000)).toMatchObject({ recommended: 40, utilisation: 2 });
    expect(recommendConcurrency(load, 4000).reasoning).toMatch(/Little's law/);
    // A backlog of 100 two-second jobs to clear within 4 s needs 50 more.
    expect(recommendConcurrency({ ...load, backlog: 100 }, 4000).recommended).toBe(90);
    expect(recommendConcurrency(load, 1500).recommended).toBeNull();
    expect(recommendConcurrency({ ...load, arrivalPerSec: 0 }, 4000).recommended).toBeNull();
  });

  it("estimates a queued job's start from its position and the effective concurrency", () => {
    const eta = estimateEta(21, { serviceMs: 1000, throughputPerSec: 5, concurrency: 50 }, 0);
    // 5 attempts/s of 1 s each: 5 run at once, whatever the setting; 20 ahead take 4 s.
    expect(eta).toMatchObject({ effectiveConcurrency: 5, startsAt: new Date(4000), finishesAt: new Date(5000) });
    expect(estimateEta(1, { serviceMs: 1000, throughputPerSec: 0, concurrency: 3 }, 0).startsAt).toEqual(new Date(0));
  });

  it("suggests what to do about a slow job type", () => {
    expect(slowJobSuggestion({ p50Ms: 1000, p95Ms: 9000, timeouts: 10, attempts: 100, timeoutMs: 10_000 })).toMatch(/timed out/);
    expect(slowJobSuggestion({ p50Ms: 1000, p95Ms: 9000, timeouts: 0, attempts: 100, timeoutMs: 10_000 })).toMatch(/within 20%/);
    expect(slowJobSuggestion({ p50Ms: 100, p95Ms: 5000, timeouts: 0, attempts: 100, timeoutMs: 30_000 })).toMatch(/long tail/);
    expect(slowJobSuggestion({ p50Ms: 20, p95Ms: 150, timeouts: 0, attempts: 100, timeoutMs: 30_000 })).toMatch(/fast enough/);
    expect(slowJobSuggestion({ p50Ms: 3000, p95Ms: 9000, timeouts: 0, attempts: 100, timeoutMs: 30_000 })).toMatch(/uniformly slow/);
  });
});
