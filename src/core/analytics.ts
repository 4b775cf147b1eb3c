import { BOUNDS_MS, quantile, shareAtMost, total } from "./histogram";

/** A histogram as the API shows it: each bucket's upper edge (null for the open last one) and count. */
export function histogramBuckets(buckets: readonly number[] | null): { leMs: number | null; count: number }[] {
  return [...BOUNDS_MS, null].map((leMs, i) => ({ leMs, count: buckets?.[i] ?? 0 }));
}

export function durationSummary(buckets: readonly number[] | null, count: number, sumMs: number) {
  const b = buckets ?? [];
  return {
    count,
    avgMs: count === 0 ? null : sumMs / count,
    p50Ms: quantile(b, 0.5),
    p95Ms: quantile(b, 0.95),
    p99Ms: quantile(b, 0.99),
    histogram: histogramBuckets(buckets),
  };
}

/** Of the jobs finished in a window, how many succeeded on each attempt (the last slot: that one or later). */
export function attemptBreakdown(completedByAttempt: readonly number[] | null, dead: number) {
  const byAttempt = completedByAttempt ?? [];
  const finished = total(byAttempt) + dead;
  const share = (n: number) => (finished === 0 ? null : n / finished);
  return {
    finished,
    dead,
    deadShare: share(dead),
    attempts: byAttempt.map((completed, i) => ({ attempt: i + 1, orLater: i === byAttempt.length - 1, completed, share: share(completed) })),
  };
}

export function slaSummary(latencyBuckets: readonly number[] | null, targetMs: number) {
  const b = latencyBuckets ?? [];
  return { targetMs, completed: total(b), withinShare: shareAtMost(b, targetMs) };
}
