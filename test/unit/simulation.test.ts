import { describe, expect, it } from "vitest";
import { prng } from "../../bench/lib/prng";
import { planAttempt, sampleLatency, SIMULATED_ERRORS, simulatePayloadSchema, type SimulatedErrorKind } from "../../src/core/simulation";
import { classify } from "../../src/insights/analyzer";

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

describe("the simulate job type's plan", () => {
  it("draws run times whose median and 99th percentile are the ones asked for", () => {
    const r = prng(11);
    const draws = Array.from({ length: 20_000 }, () => sampleLatency(200, 2000, r(), r())).sort((a, b) => a - b);
    expect(quantile(draws, 0.5) / 200).toBeGreaterThan(0.95);
    expect(quantile(draws, 0.5) / 200).toBeLessThan(1.05);
    expect(quantile(draws, 0.99) / 2000).toBeGreaterThan(0.9);
    expect(quantile(draws, 0.99) / 2000).toBeLessThan(1.1);
    expect(Math.max(...draws)).toBeLessThanOrEqual(6000);
    expect(sampleLatency(0, 100, 0.3, 0.7)).toBe(0);
  });

  it("fails at the asked rate, drawing evenly from the errors given", () => {
    const r = prng(5);
    const payload = simulatePayloadSchema.parse({ failureRate: 0.3, errors: ["timeout", { message: "custom boom", retryable: false }], latencyMs: { p50: 1, p99: 2 } });
    const plans = Array.from({ length: 10_000 }, () => planAttempt(payload, r));
    const failed = plans.filter((p) => p.error !== null);
    expect(failed.length / plans.length).toBeGreaterThan(0.28);
    expect(failed.length / plans.length).toBeLessThan(0.32);
    const custom = failed.filter((p) => p.error!.message === "custom boom");
    expect(custom.length / failed.length).toBeGreaterThan(0.45);
    expect(custom.length / failed.length).toBeLessThan(0.55);
    expect(custom[0]!.error).toEqual({ name: "Error", message: "custom boom", retryable: false });
    expect(planAttempt(simulatePayloadSchema.parse({}), r).error).toBeNull();
  });

  it("words each category's errors so the built-in analyzer finds that category", () => {
    for (const [kind, errors] of Object.entries(SIMULATED_ERRORS) as [SimulatedErrorKind, readonly { name: string; message: string; code?: string }[]][]) {
      for (const e of errors) expect([kind, classify({ error: { name: e.name, message: e.message, code: e.code, retryable: true }, timedOut: false }).category]).toEqual([kind, kind]);
    }
  });

  it("refuses payloads that make no sense", () => {
    for (const bad of [{ failureRate: 1.5 }, { errors: [] }, { errors: ["meteor"] }, { latencyMs: { p50: 500, p99: 100 } }, { latencyMs: { p50: 1, p99: 16 * 60_000 } }, { speed: 1 }]) {
      expect(simulatePayloadSchema.safeParse(bad).success).toBe(false);
    }
  });
});
