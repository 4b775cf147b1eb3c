import { describe, expect, it } from "vitest";
import { slidingWindow, type WindowState } from "../../src/core/sliding-window";
import { parsePolicy, rateLimitHeaders } from "../../src/ratelimit/policy";

/** Requests at the given times; returns which succeeded. */
function run(times: number[], limit: number, windowMs: number) {
  let state: WindowState | undefined;
  return times.map((t) => {
    const v = slidingWindow(state, t, limit, windowMs);
    state = v.state;
    return v;
  });
}

describe("sliding window", () => {
  it("allows `limit` requests in a window and refuses the next, until the window slides", () => {
    const v = run([0, 100, 200, 300], 3, 1000);
    expect(v.map((x) => x.success)).toEqual([true, true, true, false]);
    expect(v.map((x) => x.remaining)).toEqual([2, 1, 0, 0]);
    expect(v[3]!.reset).toBe(1000);
  });

  it("weights the previous window by its overlap, so there is no burst at the edge", () => {
    // 3 at the end of window 0; at 1100 the previous window still weighs 0.9 × 3 = 2.7.
    const v = run([900, 950, 990, 1100, 1800], 3, 1000);
    expect(v.map((x) => x.success)).toEqual([true, true, true, false, true]);
    // Refused at 1100: room comes when 3 × overlap + 0 + 1 ≤ 3, i.e. overlap ≤ 2/3, at 1333.
    expect(v[3]!.reset).toBe(1334);
  });

  it("never lets more than `limit` through in any window of its length", () => {
    const times = Array.from({ length: 2000 }, (_, i) => i * 7);
    const allowed = run(times, 10, 1000)
      .map((v, i) => (v.success ? times[i]! : -1))
      .filter((t) => t >= 0);
    for (const start of allowed) expect(allowed.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    expect(allowed.length).toBeGreaterThan(100);
  });

  it("parses policies and makes the headers", () => {
    expect(parsePolicy("100/10s")).toEqual({ limit: 100, windowMs: 10_000 });
    expect(parsePolicy("off")).toBeNull();
    expect(() => parsePolicy("lots")).toThrow(/EDGEQ_RATE_LIMIT/);
    expect(rateLimitHeaders({ success: false, limit: 5, remaining: 0, reset: 12_500 }, { limit: 5, windowMs: 60_000 }, 10_000)).toEqual({
      "RateLimit-Limit": "5",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "3",
      "RateLimit-Policy": "5;w=60",
      "Retry-After": "3",
    });
  });
});
