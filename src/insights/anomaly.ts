/** The metrics watched per queue on each cron tick. */
export const ANOMALY_METRICS = ["failure_rate", "latency_ms", "backlog_growth"] as const;
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number];

/** An exponentially weighted mean and variance of one metric of one queue. */
export interface Baseline {
  mean: number;
  variance: number;
  samples: number;
}

export const ANOMALY_POLICY = {
  /** Weight of the newest observation: about the last ten ticks dominate. */
  alpha: 0.1,
  /** Standard deviations above the baseline that count as an anomaly. */
  zThreshold: 3,
  /** Observations before a baseline is trusted. */
  minSamples: 10,
  /** A floor under each metric's deviation, so a perfectly flat history does not alarm at noise. */
  minStd: { failure_rate: 0.05, latency_ms: 50, backlog_growth: 5 } satisfies Record<AnomalyMetric, number>,
} as const;

/** Folds one observation into an EWMA baseline (West's incremental form of the weighted variance). */
export function updateBaseline(b: Baseline | undefined, x: number, alpha: number = ANOMALY_POLICY.alpha): Baseline {
  if (!b || b.samples === 0) return { mean: x, variance: 0, samples: 1 };
  const diff = x - b.mean;
  const incr = alpha * diff;
  return { mean: b.mean + incr, variance: (1 - alpha) * (b.variance + diff * incr), samples: b.samples + 1 };
}

export interface Check {
  metric: AnomalyMetric;
  value: number;
  z: number;
  anomalous: boolean;
  baseline: Baseline;
  next: Baseline;
}

/**
 * Scores one observation against its baseline before folding it in. Only rises count: more
 * failures, slower runs, a backlog growing faster than usual.
 */
export function checkMetric(metric: AnomalyMetric, value: number, baseline: Baseline | undefined, policy = ANOMALY_POLICY): Check {
  const prior = baseline ?? { mean: value, variance: 0, samples: 0 };
  const std = Math.max(Math.sqrt(prior.variance), policy.minStd[metric]);
  const z = (value - prior.mean) / std;
  return { metric, value, z, anomalous: prior.samples >= policy.minSamples && z >= policy.zThreshold, baseline: prior, next: updateBaseline(baseline, value, policy.alpha) };
}

export function describeAnomaly(queue: string, c: Check): string {
  const std = Math.max(Math.sqrt(c.baseline.variance), ANOMALY_POLICY.minStd[c.metric]);
  const fmt = (x: number) => (c.metric === "failure_rate" ? `${(x * 100).toFixed(1)}%` : c.metric === "latency_ms" ? `${Math.round(x)} ms` : `${x.toFixed(1)} jobs/min`);
  return `queue ${queue}: ${c.metric.replace("_", " ")} ${fmt(c.value)} against a baseline of ${fmt(c.baseline.mean)} ± ${fmt(std)} (z = ${c.z.toFixed(1)})`;
}
