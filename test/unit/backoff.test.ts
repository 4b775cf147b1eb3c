import { describe, expect, it } from "vitest";
import { backoffDelay, backoffSchema, type Backoff } from "../../src/core/backoff";

const exp = (jitter: "full" | "equal" | "decorrelated" | "none"): Backoff => ({ type: "exponential", baseMs: 1000, capMs: 60_000, jitter });
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe("backoffDelay", () => {
  it("doubles from the base and stops at the cap without jitter", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(exp("none"), a, null));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it("never overflows on huge attempt numbers", () => {
    expect(backoffDelay(exp("none"), 10_000, null)).toBe(60_000);
  });

  it("keeps full jitter within [0, exponential)", () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const d = backoffDelay(exp("full"), attempt, null, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });

  it("keeps equal jitter within [half, whole] of the exponential delay", () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      for (const r of [0, 0.5, 0.999999]) {
        const d = backoffDelay(exp("equal"), attempt, null, () => r);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it("grows decorrelated jitter from the previous delay, within [base, cap]", () => {
    let previous: number | null = null;
    const random = seq(0.9, 0.1, 0.7, 0.999, 0.3);
    for (let attempt = 1; attempt <= 30; attempt++) {
      const d = backoffDelay(exp("decorrelated"), attempt, previous, random);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(60_000);
      expect(d).toBeLessThanOrEqual(Math.max(1000, (previous ?? 1000) * 3));
      previous = d;
    }
  });

  it("waits the same for fixed backoff and walks a custom list, repeating its last delay", () => {
    expect(backoffDelay({ type: "fixed", delayMs: 5000, jitter: "none" }, 7, null)).toBe(5000);
    const custom: Backoff = { type: "custom", delaysMs: [100, 1000, 10_000] };
    expect([1, 2, 3, 4, 9].map((a) => backoffDelay(custom, a, null))).toEqual([100, 1000, 10_000, 10_000, 10_000]);
  });
});

describe("backoffSchema", () => {
  it("fills defaults and rejects unknown strategies", () => {
    expect(backoffSchema.parse({ type: "exponential" })).toEqual({ type: "exponential", baseMs: 1000, capMs: 3_600_000, jitter: "full" });
    expect(backoffSchema.safeParse({ type: "linear" }).success).toBe(false);
    expect(backoffSchema.safeParse({ type: "exponential", jitter: "sometimes" }).success).toBe(false);
  });
});
