import { BOUNDS_MS } from "../core/histogram";
import type { QueueActivity, RollupTotals } from "../db/queries/analytics";
import { histogramSamples, type Family } from "./exposition";

const SECONDS_EDGES = BOUNDS_MS.map((ms) => ms / 1000);

type Totals = RollupTotals & { queue: string; type: string };

const counter = (name: string, help: string, totals: Totals[], value: (t: Totals) => number): Family => ({
  name,
  help,
  type: "counter",
  samples: totals.map((t) => ({ labels: { queue: t.queue, type: t.type }, value: value(t) })),
});

function durationHistogram(name: string, totals: Totals[]): Family {
  return {
    name,
    help: "Time handlers ran, per attempt (completed and failed).",
    type: "histogram",
    // The rollups' last bucket is open-ended; it shows only in +Inf.
    samples: totals.flatMap((t) => histogramSamples({ queue: t.queue, type: t.type }, t.durationBuckets ?? [], SECONDS_EDGES, t.durationSumMs / 1000)),
  };
}

/** Every metric edgeq exposes: lifetime counters from the rollups and gauges from the queues' state now. */
export function edgeqMetrics(totals: Totals[], queues: QueueActivity[], now: number): Family[] {
  const gauge = (name: string, help: string, samples: Family["samples"]): Family => ({ name, help, type: "gauge", samples });
  return [
    counter("edgeq_jobs_enqueued_total", "Jobs submitted.", totals, (t) => t.submitted),
    {
      name: "edgeq_jobs_processed_total",
      help: "Attempts finished, by outcome.",
      type: "counter",
      samples: totals.flatMap((t) => [
        { labels: { queue: t.queue, type: t.type, outcome: "completed" }, value: t.completed },
        { labels: { queue: t.queue, type: t.type, outcome: "failed" }, value: t.failed - t.timedOut },
        { labels: { queue: t.queue, type: t.type, outcome: "timeout" }, value: t.timedOut },
      ]),
    },
    counter("edgeq_jobs_completed_total", "Jobs completed.", totals, (t) => t.completed),
    counter("edgeq_jobs_failed_total", "Attempts that failed or timed out.", totals, (t) => t.failed),
    counter("edgeq_jobs_retried_total", "Failed attempts scheduled for a retry.", totals, (t) => t.retried),
    counter("edgeq_jobs_dead_total", "Jobs moved to the dead-letter queue.", totals, (t) => t.dead),
    durationHistogram("edgeq_job_processing_duration_seconds", totals),
    gauge(
      "edgeq_queue_depth",
      "Unfinished jobs by state.",
      queues.flatMap((q) => (["waiting", "scheduled", "queued", "running"] as const).map((state) => ({ labels: { queue: q.queue, state }, value: q[state] }))),
    ),
    gauge("edgeq_jobs_in_flight", "Jobs running now.", queues.map((q) => ({ labels: { queue: q.queue }, value: q.running }))),
    gauge(
      "edgeq_queue_oldest_ready_age_seconds",
      "How long the oldest job ready to run has waited (0 when none).",
      queues.map((q) => ({ labels: { queue: q.queue }, value: q.oldestQueuedAt ? Math.max(0, now - q.oldestQueuedAt.getTime()) / 1000 : 0 })),
    ),
    gauge("edgeq_queue_paused", "1 when the queue is paused.", queues.map((q) => ({ labels: { queue: q.queue }, value: q.paused ? 1 : 0 }))),
    // The plain names existing Grafana boards for job queues expect.
    durationHistogram("job_processing_duration_seconds", totals),
    counter("jobs_processed_total", "Jobs completed (alias of edgeq_jobs_completed_total).", totals, (t) => t.completed),
    counter("jobs_failed_total", "Attempts that failed (alias of edgeq_jobs_failed_total).", totals, (t) => t.failed),
  ];
}
