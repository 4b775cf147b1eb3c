import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, scheduler } from "../helpers/deliver";

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(" ")[0]!;
    if (want.every((l) => labelText.includes(l))) return Number(line.split(" ").at(-1));
  }
  return undefined;
}

async function metrics(): Promise<string> {
  const res = await api("GET", "/metrics");
  expect(res.status).toBe(200);
  return res.body as unknown as string;
}

/** Runs every due attempt of the queue: deliver, then wake the scheduler at each retry's due time. */
async function runAll(queue: string, ids: string[]) {
  for (let round = 0; round < 5; round++) {
    await deliver(queue);
    const jobs = await Promise.all(ids.map(async (id) => (await api("GET", `/api/v1/jobs/${id}`)).body));
    const due = jobs.filter((j) => j.state === "scheduled").map((j) => Date.parse(j.runAt));
    if (due.length === 0) return;
    await scheduler(queue).tick(Math.max(...due));
  }
  throw new Error("jobs still scheduled after 5 rounds");
}

describe("analytics and metrics", () => {
  const queue = uniqueQueue("stats");
  const window = () => `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}&queue=${queue}`;
  let before = "";
  let queuedGauge: number | undefined;

  beforeAll(async () => {
    before = await metrics();
    const jobs = [
      ...Array.from({ length: 6 }, (_, i) => ({ type: "echo", payload: i })),
      { type: "fail", payload: { times: 1, message: "upstream answered 503 after 5012 ms" }, backoff: { type: "fixed", delayMs: 0 } },
      { type: "fail", payload: { times: 1, message: "upstream answered 503 after 4990 ms" }, backoff: { type: "fixed", delayMs: 0 } },
      { type: "fail", payload: { message: "card 4242 declined", retryable: false } },
    ];
    const submitted = await api("POST", "/api/v1/jobs/batch", { queue, jobs });
    expect(submitted.status).toBe(201);
    queuedGauge = sample(await metrics(), "edgeq_queue_depth", { queue, state: "queued" });
    await runAll(queue, submitted.body.jobs.map((j: { id: string }) => j.id));
  });

  it("moves every metric as jobs run", async () => {
    expect(sample(before, "edgeq_jobs_enqueued_total", { queue })).toBeUndefined();
    expect(queuedGauge).toBe(9);
    const after = await metrics();
    const echo = { queue, type: "echo" };
    const fail = { queue, type: "fail" };
    expect(sample(after, "edgeq_jobs_enqueued_total", echo)).toBe(6);
    expect(sample(after, "edgeq_jobs_enqueued_total", fail)).toBe(3);
    expect(sample(after, "edgeq_jobs_processed_total", { ...echo, outcome: "completed" })).toBe(6);
    expect(sample(after, "edgeq_jobs_processed_total", { ...fail, outcome: "completed" })).toBe(2);
    expect(sample(after, "edgeq_jobs_processed_total", { ...fail, outcome: "failed" })).toBe(3);
    expect(sample(after, "edgeq_jobs_failed_total", fail)).toBe(3);
    expect(sample(after, "edgeq_jobs_retried_total", fail)).toBe(2);
    expect(sample(after, "edgeq_jobs_dead_total", fail)).toBe(1);
    expect(sample(after, "edgeq_job_processing_duration_seconds_count", fail)).toBe(5);
    expect(sample(after, "edgeq_job_processing_duration_seconds_bucket", { ...echo, le: "+Inf" })).toBe(6);
    expect(sample(after, "job_processing_duration_seconds_count", echo)).toBe(6);
    expect(sample(after, "jobs_processed_total", echo)).toBe(6);
    expect(sample(after, "jobs_failed_total", fail)).toBe(3);
    expect(sample(after, "edgeq_queue_depth", { queue, state: "queued" })).toBe(0);
    expect(sample(after, "edgeq_jobs_in_flight", { queue })).toBe(0);
    expect(sample(after, "edgeq_queue_oldest_ready_age_seconds", { queue })).toBe(0);
    expect(after).toContain("# TYPE edgeq_job_processing_duration_seconds histogram");
  });

  it("keeps rollups that agree with a direct count of jobs and attempts", async () => {
    const direct = await db(async (d) => {
      const r = await d.execute(sql`
        select (select count(*) from jobs where queue = ${queue})::int as submitted,
               (select count(*) from jobs where queue = ${queue} and state = 'completed')::int as completed,
               (select count(*) from jobs where queue = ${queue} and state = 'dead')::int as dead,
               (select count(*) from job_attempts a join jobs j on j.id = a.job_id where j.queue = ${queue} and a.outcome in ('failed', 'timeout'))::int as failed,
               (select count(*) from job_attempts a join jobs j on j.id = a.job_id where j.queue = ${queue} and a.outcome is not null)::int as attempts`);
      return r.rows[0] as Record<string, number>;
    });
    for (const granularity of ["minute", "hour", "day"]) {
      const rolled = await db(async (d) => {
        const r = await d.execute(sql`
          select sum(submitted)::int as submitted, sum(completed)::int as completed, sum(dead)::int as dead, sum(failed)::int as failed,
                 sum(duration_count)::int as attempts
            from job_rollups where queue = ${queue} and granularity = ${granularity}`);
        return r.rows[0] as Record<string, number>;
      });
      expect({ granularity, ...rolled }).toEqual({ granularity, ...direct });
    }
    expect(direct).toEqual({ submitted: 9, completed: 8, dead: 1, failed: 3, attempts: 11 });
  });

  it("answers each analytics endpoint from the rollups", async () => {
    const throughput = await api("GET", `/api/v1/analytics/throughput?${window()}&step=1m`);
    expect(throughput.status).toBe(200);
    const sum = (key: string) => throughput.body.series.reduce((n: number, s: Record<string, number>) => n + s[key]!, 0);
    expect({ submitted: sum("submitted"), completed: sum("completed"), failed: sum("failed"), retried: sum("retried"), dead: sum("dead") }).toEqual({
      submitted: 9,
      completed: 8,
      failed: 3,
      retried: 2,
      dead: 1,
    });

    const durations = (await api("GET", `/api/v1/analytics/durations?${window()}`)).body;
    expect(durations).toMatchObject({ count: 11, p50Ms: expect.any(Number), p95Ms: expect.any(Number), p99Ms: expect.any(Number) });
    expect(durations.histogram.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(11);

    const attempts = (await api("GET", `/api/v1/analytics/attempts?${window()}`)).body;
    expect(attempts).toMatchObject({ finished: 9, dead: 1 });
    expect(attempts.attempts.slice(0, 2)).toMatchObject([{ attempt: 1, completed: 6 }, { attempt: 2, completed: 2 }]);

    const sla = (await api("GET", `/api/v1/analytics/sla?${window()}&targetMs=3600000`)).body;
    expect(sla).toMatchObject({ completed: 8, withinShare: 1 });

    const byHour = (await api("GET", `/api/v1/analytics/submissions-by-hour?${window()}&tz=Asia/Kolkata`)).body;
    expect(byHour.hours.reduce((n: number, h: { submitted: number }) => n + h.submitted, 0)).toBe(9);

    const errors = (await api("GET", `/api/v1/analytics/errors?${window()}`)).body.errors;
    expect(errors.map((e: { count: number }) => e.count)).toEqual([2, 1]);
    expect(errors[0].fingerprint).toContain("upstream answered <n> after <n> ms");

    const timeline = (await api("GET", `/api/v1/analytics/timeline?${window()}`)).body.attempts;
    expect(timeline).toHaveLength(11);
    expect(timeline.filter((a: { outcome: string }) => a.outcome === "completed")).toHaveLength(8);

    const overview = (await api("GET", "/api/v1/analytics/overview")).body.queues.find((q: { queue: string }) => q.queue === queue);
    expect(overview).toMatchObject({ pending: 0, running: 0, completedToday: 8, failedToday: 3, deadToday: 1, health: "yellow" });
  });

  it("rejects bad windows, steps and zones", async () => {
    const bad = [
      "/api/v1/analytics/throughput?step=7s",
      "/api/v1/analytics/throughput?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&step=1m",
      "/api/v1/analytics/durations?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
      "/api/v1/analytics/durations?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
      "/api/v1/analytics/submissions-by-hour?tz=Mars/Olympus",
      "/api/v1/analytics/sla",
      "/api/v1/analytics/errors?limit=0",
    ];
    for (const path of bad) {
      const res = await api("GET", path);
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 400, code: "validation_failed" });
    }
  });
});
