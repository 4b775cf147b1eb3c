import type { SimulatePayload } from "../../src/core/simulation";

/**
 * The mixed workload `npm run simulate` drives: ten queues of fast, medium and slow jobs with the
 * failure mixes real services show, arriving with a working day's rhythm (compressed, so a demo
 * sees quiet hours and peaks in minutes).
 */

type Payload = Partial<Pick<SimulatePayload, "failureRate" | "errors">> & { latencyMs: SimulatePayload["latencyMs"] };

export interface QueueProfile {
  queue: string;
  /** Share of all submissions. */
  share: number;
  concurrency: number;
  retryPolicy: "fixed" | "smart";
  /** What its jobs do: a name (the job's tag; every job is of type `simulate`) and its simulate payload. */
  jobs: { name: string; weight: number; payload: Payload }[];
}

const FAST = { p50: 20, p99: 150 };
const MEDIUM = { p50: 300, p99: 2000 };
const SLOW = { p50: 3000, p99: 12_000 };

export const PROFILES: QueueProfile[] = [
  { queue: "emails", share: 0.2, concurrency: 50, retryPolicy: "smart", jobs: [{ name: "send-welcome", weight: 2, payload: { latencyMs: FAST, failureRate: 0.03, errors: ["network", "rate_limited"] } }, { name: "send-receipt", weight: 3, payload: { latencyMs: FAST, failureRate: 0.02, errors: ["network", "bad_input"] } }] },
  { queue: "payments", share: 0.1, concurrency: 20, retryPolicy: "smart", jobs: [{ name: "charge-card", weight: 1, payload: { latencyMs: MEDIUM, failureRate: 0.05, errors: ["upstream_5xx", "bad_input", "rate_limited"] } }] },
  { queue: "webhooks", share: 0.15, concurrency: 50, retryPolicy: "fixed", jobs: [{ name: "deliver-webhook", weight: 1, payload: { latencyMs: FAST, failureRate: 0.08, errors: ["upstream_5xx", "timeout", "not_found"] } }] },
  { queue: "reports", share: 0.03, concurrency: 5, retryPolicy: "fixed", jobs: [{ name: "render-report", weight: 1, payload: { latencyMs: SLOW, failureRate: 0.02, errors: ["resource_exhausted", "handler_bug"] } }] },
  { queue: "thumbnails", share: 0.12, concurrency: 20, retryPolicy: "fixed", jobs: [{ name: "resize-image", weight: 1, payload: { latencyMs: MEDIUM, failureRate: 0.01, errors: ["resource_exhausted"] } }] },
  { queue: "search-index", share: 0.15, concurrency: 50, retryPolicy: "fixed", jobs: [{ name: "index-document", weight: 1, payload: { latencyMs: FAST, failureRate: 0.01, errors: ["network"] } }] },
  { queue: "exports", share: 0.02, concurrency: 3, retryPolicy: "fixed", jobs: [{ name: "export-csv", weight: 1, payload: { latencyMs: SLOW, failureRate: 0.03, errors: ["timeout", "resource_exhausted"] } }] },
  { queue: "notifications", share: 0.13, concurrency: 50, retryPolicy: "smart", jobs: [{ name: "push-notification", weight: 1, payload: { latencyMs: FAST, failureRate: 0.04, errors: ["rate_limited", "auth"] } }] },
  { queue: "billing-sync", share: 0.05, concurrency: 10, retryPolicy: "smart", jobs: [{ name: "sync-invoice", weight: 1, payload: { latencyMs: MEDIUM, failureRate: 0.03, errors: ["auth", "upstream_5xx", "not_found"] } }] },
  { queue: "ml-scoring", share: 0.05, concurrency: 10, retryPolicy: "fixed", jobs: [{ name: "score-lead", weight: 1, payload: { latencyMs: SLOW, failureRate: 0.04, errors: ["timeout", "upstream_5xx"] } }] },
];

/** The day's rhythm by hour (0–23): quiet nights, a morning peak, a lunch dip, an afternoon peak. */
export function dayShape(hour: number): number {
  if (hour < 6) return 0.1;
  if (hour < 8) return 0.4;
  if (hour < 12) return hour >= 9 && hour < 11 ? 1 : 0.8;
  if (hour < 13) return 0.5;
  if (hour < 17) return hour >= 14 && hour < 16 ? 1 : 0.8;
  if (hour < 21) return 0.35;
  return 0.15;
}

/** The simulated hour of day `elapsedMs` into a run where a day lasts `dayMs`, starting at 06:00. */
export function simulatedHour(elapsedMs: number, dayMs: number): number {
  return (6 + (elapsedMs / dayMs) * 24) % 24;
}

/**
 * How many jobs each queue gets in one step of `stepMs` at `peakPerSec` jobs/s scaled by the day's
 * shape; fractions carry over in `carry` so small shares still get their jobs.
 */
export function arrivals(peakPerSec: number, hour: number, stepMs: number, carry: Map<string, number>, random: () => number): Map<string, number> {
  const total = peakPerSec * dayShape(Math.floor(hour)) * (stepMs / 1000) * (0.8 + 0.4 * random());
  const out = new Map<string, number>();
  for (const p of PROFILES) {
    const exact = total * p.share + (carry.get(p.queue) ?? 0);
    const whole = Math.floor(exact);
    carry.set(p.queue, exact - whole);
    out.set(p.queue, whole);
  }
  return out;
}

/** A job for `profile`, what it does drawn by weight. */
export function drawJob(profile: QueueProfile, random: () => number): { name: string; payload: Payload } {
  const total = profile.jobs.reduce((n, j) => n + j.weight, 0);
  let x = random() * total;
  for (const j of profile.jobs) {
    if (x < j.weight) return j;
    x -= j.weight;
  }
  return profile.jobs.at(-1)!;
}
