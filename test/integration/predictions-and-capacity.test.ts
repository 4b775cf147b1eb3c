import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as anomalies from "../../src/cron/detect-anomalies";
import * as predictor from "../../src/cron/fit-predictor";
import { trainingSamples } from "../../src/db/queries/predictor";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { drain } from "../helpers/deliver";

async function runJobs(queue: string, jobs: { type: string; payload?: unknown; maxAttempts?: number }[]) {
  await api("POST", "/api/v1/jobs/batch", { queue, jobs });
  await drain(queue);
}

describe("predictions", () => {
  it("predicts a lower success probability for a job type that keeps failing, after a refit", async () => {
    const queue = uniqueQueue();
    await runJobs(queue, [
      ...Array.from({ length: 15 }, () => ({ type: "echo" })),
      ...Array.from({ length: 15 }, () => ({ type: "fail", payload: { message: "upstream said no" }, maxAttempts: 1 })),
    ]);
    // What the cron duty does once its model is stale.
    expect(await db((d) => predictor.fitFromHistory(d, Date.now()))).toMatchObject({ model: { samples: expect.any(Number) } });
    // The cron duty keeps a model younger than ten minutes.
    expect(await predictor.runOnce(env, Date.now())).toBeNull();

    const failing = await api("POST", "/api/v1/jobs/predict-success", { type: "fail", queue, payload: { message: "x" }, backlog: 0 });
    const fine = await api("POST", "/api/v1/jobs/predict-success", { type: "echo", queue, payload: { message: "x" }, backlog: 0 });
    expect(failing.status).toBe(200);
    // The model is fitted on the whole shared test database, so compare rather than fix thresholds.
    expect(failing.body.probability).toBeLessThan(fine.body.probability);
    const effect = (drivers: { feature: string; effect: number }[], feature: string) => drivers.find((d) => d.feature === feature)?.effect;
    expect(effect(failing.body.drivers, "type=fail")).toBeLessThan(0);
    expect(effect(fine.body.drivers, "type=echo") ?? 0).toBeGreaterThan(effect(failing.body.drivers, "type=fail")!);
    expect(failing.body.features).toMatchObject({ type: "fail", queue, backlog: 0, attempt: 1 });
    expect(failing.body.model.samples).toBeGreaterThanOrEqual(30);

    expect((await api("POST", "/api/v1/jobs/predict-success", { queue })).status).toBe(400);
  });

  it("trains on the newest jobs only, however busy the day was", async () => {
    const queue = uniqueQueue();
    await runJobs(queue, Array.from({ length: 10 }, () => ({ type: "echo" })));
    // Moved to a day of 2020 that no other test touches, a minute apart, so the window holds these alone.
    const day = Date.UTC(2020, 0, 1);
    await db((d) =>
      d.execute(sql`
        with ranked as (select id, row_number() over (order by id) as n from jobs where queue = ${queue}),
        moved as (update jobs j set created_at = to_timestamp(${day / 1000} + r.n * 60) from ranked r where j.id = r.id returning j.id, j.created_at)
        update job_attempts a set started_at = m.created_at + interval '1 second' from moved m where a.job_id = m.id`),
    );
    const now = new Date(day + 3_600_000);
    const all = await db((d) => trainingSamples(d, now));
    expect(all).toHaveLength(10);
    expect(all.every((s) => s.features.queue === queue && s.success)).toBe(true);
    // Bounded to the four newest jobs: their four attempts, and the backlog counted from them alone.
    const newest = await db((d) => trainingSamples(d, now, 4));
    expect(newest).toHaveLength(4);
  });

  it("estimates when a queued job starts from its position", async () => {
    const queue = uniqueQueue();
    await api("PUT", `/api/v1/queues/${queue}`, { paused: true, concurrency: 2 });
    const { body } = await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }, { type: "echo", priority: "low" }, { type: "echo", priority: "critical" }] });
    const low = await api("GET", `/api/v1/jobs/${body.jobs[2].id}/eta`);
    expect(low.status).toBe(200);
    expect(low.body).toMatchObject({ id: body.jobs[2].id, queue, position: 4, effectiveConcurrency: 2 });
    // Nothing ran yet: each job is bounded by its timeout; three ahead, two at a time: two rounds.
    expect(Date.parse(low.body.startsAt) - Date.now()).toBeGreaterThan(2 * low.body.meanDurationMs - 5000);
    expect((await api("GET", `/api/v1/jobs/${body.jobs[3].id}/eta`)).body.position).toBe(1);

    await api("POST", `/api/v1/queues/${queue}/resume`);
    await drain(queue);
    const done = await api("GET", `/api/v1/jobs/${body.jobs[0].id}/eta`);
    expect(done.status).toBe(409);
    expect(done.body.error.code).toBe("job_not_queued");
  });
});

describe("capacity", () => {
  it("recommends a concurrency for a latency target from the measured rates, with its reasoning", async () => {
    const queue = uniqueQueue();
    await runJobs(queue, Array.from({ length: 6 }, () => ({ type: "sleep", payload: { ms: 30 } })));
    const res = await api("GET", `/api/v1/queues/${queue}/scaling?targetLatencyMs=5000&windowMinutes=5`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queue, targetLatencyMs: 5000, windowMs: 300_000, currentConcurrency: 50, recommendedConcurrency: 1 });
    expect(res.body.measured.arrivalPerSec).toBeCloseTo(6 / 300, 5);
    expect(res.body.measured.serviceMs).toBeGreaterThanOrEqual(25);
    expect(res.body.reasoning).toMatch(/Little's law/);

    expect((await api("GET", `/api/v1/queues/${uniqueQueue()}/scaling`)).status).toBe(404);
    expect((await api("GET", `/api/v1/queues/${queue}/scaling?targetLatencyMs=-1`)).status).toBe(400);
  });

  it("lists the slowest job types with a suggestion each", async () => {
    const queue = uniqueQueue();
    await runJobs(queue, [...Array.from({ length: 3 }, () => ({ type: "sleep", payload: { ms: 60 } })), { type: "echo" }]);
    const res = await api("GET", `/api/v1/analytics/slow-jobs?queue=${queue}`);
    expect(res.status).toBe(200);
    expect(res.body.types.map((t: { type: string }) => t.type)).toEqual(["sleep", "echo"]);
    expect(res.body.types[0]).toMatchObject({ attempts: 3, timeouts: 0, suggestion: expect.any(String) });
    expect(res.body.types[0].p95Ms).toBeGreaterThanOrEqual(55);
  });
});

describe("anomalies", () => {
  it("flags a queue whose failure rate jumps above its baseline on the cron tick", async () => {
    const queue = uniqueQueue();
    await api("PUT", `/api/v1/queues/${queue}`, { maxAttempts: 1 });
    // Twenty quiet ticks: no failures, steady latency.
    await db((d) =>
      d.execute(sql`insert into queue_baselines (queue, metric, mean, variance, samples, last_value, updated_at)
                    values (${queue}, 'failure_rate', 0, 0, 20, null, now()), (${queue}, 'latency_ms', 5, 1, 20, null, now())`),
    );
    await runJobs(queue, Array.from({ length: 6 }, () => ({ type: "fail", payload: { message: "db down" } })));
    expect((await anomalies.runOnce(env, Date.now())).anomalies).toBeGreaterThanOrEqual(1);

    const res = await api("GET", `/api/v1/anomalies?queue=${queue}`);
    expect(res.status).toBe(200);
    const [anomaly] = res.body.anomalies;
    expect(anomaly).toMatchObject({ queue, metric: "failure_rate", value: 1, baselineMean: 0 });
    expect(anomaly.zScore).toBeGreaterThanOrEqual(3);
    expect(anomaly.message).toMatch(/failure rate 100.0%/);
    // The reading is folded into the baseline.
    const [baseline] = await db((d) => d.execute(sql`select samples, mean from queue_baselines where queue = ${queue} and metric = 'failure_rate'`)).then((r) => r.rows);
    expect(baseline).toMatchObject({ samples: 21 });
    expect((await api("GET", "/api/v1/anomalies?metric=nonsense")).status).toBe(400);
  });

  it("stays quiet for a queue without a trusted baseline", async () => {
    const queue = uniqueQueue();
    await api("PUT", `/api/v1/queues/${queue}`, { maxAttempts: 1 });
    await runJobs(queue, Array.from({ length: 6 }, () => ({ type: "fail" })));
    await anomalies.runOnce(env, Date.now());
    expect((await api("GET", `/api/v1/anomalies?queue=${queue}`)).body.anomalies).toEqual([]);
  });
});
