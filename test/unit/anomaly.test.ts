import { describe, expect, it } from "vitest";
import { detect } from "../../src/cron/detect-anomalies";
import { checkMetric, updateBaseline, type Baseline } from "../../src/insights/anomaly";

describe("EWMA anomaly detection", () => {
  it("tracks a metric's mean and spread", () => {
    let b: Baseline | undefined;
    for (let i = 0; i < 200; i++) b = updateBaseline(b, i % 2 === 0 ? 100 : 120);
    expect(b!.mean).toBeGreaterThan(105);
    expect(b!.mean).toBeLessThan(115);
    expect(Math.sqrt(b!.variance)).toBeGreaterThan(5);
    expect(b!.samples).toBe(200);
  });

  it("flags a rise of three deviations over a trusted baseline, not a fall, not an untrusted one", () => {
    const steady = { mean: 200, variance: 400, samples: 30 };
    // The spread is 20 ms, under the 50 ms floor: z = (400 − 200) / 50.
    expect(checkMetric("latency_ms", 400, steady)).toMatchObject({ anomalous: true, z: 4 });
    expect(checkMetric("latency_ms", 320, steady).anomalous).toBe(false);
    expect(checkMetric("latency_ms", 10, steady).anomalous).toBe(false);
    expect(checkMetric("latency_ms", 400, { ...steady, samples: 3 }).anomalous).toBe(false);
    // A flat history alarms only past the metric's floor deviation (5 points of failure rate).
    expect(checkMetric("failure_rate", 0.1, { mean: 0, variance: 0, samples: 30 }).anomalous).toBe(false);
    expect(checkMetric("failure_rate", 0.2, { mean: 0, variance: 0, samples: 30 }).anomalous).toBe(true);
  });

  it("reads backlog growth as the change since the last tick", () => {
    const now = new Date(0);
    const reading = { queue: "q", finished: 0, failed: 0, meanMs: null, backlog: 500 };
    const first = detect([reading], [], now);
    expect(first.found).toEqual([]);
    expect(first.baselines).toEqual([{ queue: "q", metric: "backlog_growth", mean: 0, variance: 0, samples: 0, lastValue: 500 }]);
    const calm = { queue: "q", metric: "backlog_growth" as const, mean: 0, variance: 1, samples: 30, lastValue: 10 };
    const { found, baselines } = detect([reading], [calm], now);
    expect(found).toMatchObject([{ queue: "q", metric: "backlog_growth", value: 490 }]);
    expect(baselines).toMatchObject([{ metric: "backlog_growth", samples: 31, lastValue: 500 }]);
  });
});
