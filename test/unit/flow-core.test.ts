import { describe, expect, it } from "vitest";
import { dependencyProblems } from "../../src/core/dependencies";
import { rateAllowance, type Dispatches } from "../../src/core/rate-window";
import { slidingWindowTake, type WindowState } from "../../src/core/sliding-window";

describe("rateAllowance (a queue's exact sliding log)", () => {
  const policy = { limit: 10, periodMs: 1000 };

  it("allows what is left of the limit over the last period", () => {
    expect(rateAllowance([], 5000, policy)).toEqual({ allowed: 10, resetAt: null });
    expect(rateAllowance([{ at: 4200, n: 3 }, { at: 4900, n: 4 }], 5000, policy)).toEqual({ allowed: 3, resetAt: null });
    // A dispatch counts until exactly one period after it.
    expect(rateAllowance([{ at: 4000, n: 10 }], 5000, policy)).toEqual({ allowed: 10, resetAt: null });
  });

  it("when full, reopens as soon as the oldest dispatches age out", () => {
    const log: Dispatches[] = [{ at: 4100, n: 4 }, { at: 4500, n: 6 }];
    expect(rateAllowance(log, 4600, policy)).toEqual({ allowed: 0, resetAt: 5100 });
    expect(rateAllowance(log, 5100, policy)).toEqual({ allowed: 4, resetAt: null });
  });

  it("never lets any window hold more than the limit, whatever the tick times", () => {
    let log: Dispatches[] = [];
    const starts: number[] = [];
    for (let now = 0; now < 20_000; now += 37 + (now % 89)) {
      const { allowed } = rateAllowance(log, now, policy);
      const n = Math.min(allowed, 4);
      if (n > 0) log = [...log, { at: now, n }];
      for (let i = 0; i < n; i++) starts.push(now);
    }
    expect(Math.max(...starts.map((s) => starts.filter((t) => t >= s && t < s + 1000).length))).toBe(10);
  });
});

describe("slidingWindowTake (shared keys, Upstash's algorithm)", () => {
  it("grants as many as fit and says when more will", () => {
    let state: WindowState | undefined;
    const first = slidingWindowTake(state, 0, 5, 1000, 3);
    expect(first).toMatchObject({ granted: 3, reset: 1000 });
    state = first.state;
    const second = slidingWindowTake(state, 100, 5, 1000, 4);
    expect(second.granted).toBe(2);
    expect(second.reset).toBe(1000);
    const third = slidingWindowTake(second.state, 200, 5, 1000, 1);
    expect(third.granted).toBe(0);
  });
});

describe("dependencyProblems", () => {
  it("finds self-dependencies, duplicate ids and cycles, and accepts a DAG", () => {
    expect(dependencyProblems([{ id: "a", dependsOn: ["a"] }])).toEqual([{ kind: "self", index: 0, id: "a" }]);
    expect(dependencyProblems([{ id: "a", dependsOn: [] }, { id: "a", dependsOn: [] }])).toEqual([{ kind: "duplicate_id", index: 1, id: "a" }]);
    expect(
      dependencyProblems([
        { id: "a", dependsOn: ["c"] },
        { id: "b", dependsOn: ["a"] },
        { id: "c", dependsOn: ["b", "stored"] },
      ]),
    ).toEqual([{ kind: "cycle", ids: ["a", "c", "b", "a"] }]);
    const dag = Array.from({ length: 5000 }, (_, i) => ({ id: `j${i}`, dependsOn: i === 0 ? [] : [`j${i - 1}`, `j${Math.floor(i / 2)}`] }));
    expect(dependencyProblems(dag)).toEqual([]);
  });
});
