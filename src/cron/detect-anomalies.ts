import { withDb } from "../db/client";
import { readBaselines, readQueues, saveTick, type QueueReading, type StoredBaseline } from "../db/queries/anomalies";
import type { AnomalyRow } from "../db/schema";
import type { Env } from "../env";
import { ANOMALY_POLICY, checkMetric, describeAnomaly, type AnomalyMetric } from "../insights/anomaly";

/** The window each reading covers: one cron tick. */
export const TICK_MS = 60_000;
/** Fewer finished attempts than this in a tick say nothing about a failure rate or latency. */
const MIN_ATTEMPTS = 5;

/**
 * One tick of anomaly detection, pure: each queue's readings against its baselines, the baselines
 * to store, and the anomalies found.
 */
export function detect(readings: QueueReading[], stored: StoredBaseline[], now: Date): { baselines: StoredBaseline[]; found: Omit<AnomalyRow, "id">[] } {
  const byKey = new Map(stored.map((b) => [`${b.queue}|${b.metric}`, b]));
  const baselines: StoredBaseline[] = [];
  const found: Omit<AnomalyRow, "id">[] = [];
  for (const r of readings) {
    const observe = (metric: AnomalyMetric, value: number | null, lastValue: number | null = null) => {
      const prior = byKey.get(`${r.queue}|${metric}`);
      if (value === null) {
        if (prior && lastValue !== null) baselines.push({ ...prior, lastValue });
        return;
      }
      const check = checkMetric(metric, value, prior);
      baselines.push({ queue: r.queue, metric, ...check.next, lastValue });
      if (!check.anomalous) return;
      found.push({
        queue: r.queue,
        metric,
        value,
        baselineMean: check.baseline.mean,
        baselineStd: Math.max(Math.sqrt(check.baseline.variance), ANOMALY_POLICY.minStd[metric]),
        zScore: check.z,
        message: describeAnomaly(r.queue, check),
        detectedAt: now,
      });
    };
    const enough = r.finished >= MIN_ATTEMPTS;
    observe("failure_rate", enough ? r.failed / r.finished : null);
    observe("latency_ms", enough ? r.meanMs : null);
    const lastBacklog = byKey.get(`${r.queue}|backlog_growth`)?.lastValue;
    observe("backlog_growth", lastBacklog === undefined || lastBacklog === null ? null : r.backlog - lastBacklog, r.backlog);
    if (lastBacklog === undefined) baselines.push({ queue: r.queue, metric: "backlog_growth", mean: 0, variance: 0, samples: 0, lastValue: r.backlog });
  }
  return { baselines, found };
}

/**
 * The cron duty: reads every queue's last minute, compares it with its baselines, stores the new
 * baselines and any anomaly.
 */
export async function runOnce(env: Env, now: number): Promise<{ anomalies: number }> {
  return withDb(env, async (db) => {
    const at = new Date(now);
    const [readings, stored] = await Promise.all([readQueues(db, new Date(now - TICK_MS), at), readBaselines(db)]);
    const { baselines, found } = detect(readings, stored, at);
    await saveTick(db, baselines, found, at);
    return { anomalies: found.length };
  });
}
