import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { estimateCost, unitPricesSchema } from "../../src/core/cost";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { fetchWith } from "../helpers/webhooks";
import { deliver, scheduler } from "../helpers/deliver";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Office-hours traffic for a queue: `busy` an hour 9–17 UTC on weekdays, a tenth of it otherwise. */
const submittedAt = (t: number, busy: number) => {
  const d = new Date(t);
  const weekday = d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
  return weekday && d.getUTCHours() >= 9 && d.getUTCHours() < 17 ? busy : busy / 10;
};

/** Writes hour rollups for the `hours` hours before the current one, and a day rollup of run times. */
async function seedHistory(queue: string, hours: number, busy: number, runMs: number) {
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const starts = Array.from({ length: hours }, (_, i) => end - (hours - i) * HOUR);
  await db(async (d) => {
    await d.execute(sql`
      insert into job_rollups (granularity, bucket, queue, type, submitted)
      select 'hour', to_timestamp(s / 1000.0), ${queue}, 'echo', n
        from unnest(string_to_array(${starts.join(",")}, ',')::bigint[], string_to_array(${starts.map((t) => submittedAt(t, busy)).join(",")}, ',')::bigint[]) as u(s, n)`);
    await d.execute(sql`
      insert into job_rollups (granularity, bucket, queue, type, completed, duration_count, duration_sum_ms)
      values ('day', date_trunc('day', now(), 'UTC'), ${queue}, 'echo', 100, 100, ${100 * runMs})`);
  });
  return { end, starts };
}

describe("cost estimates", () => {
  it("prices what the queue's jobs really did, by type, with the attempts failures wasted", async () => {
    const queue = uniqueQueue("cost");
    const jobs = [
      ...Array.from({ length: 4 }, (_, i) => ({ type: "echo", payload: i })),
      { type: "fail", payload: { times: 1 }, backoff: { type: "fixed", delayMs: 0 } },
    ];
    const submitted = await api("POST", "/api/v1/jobs/batch", { queue, jobs });
    expect(submitted.status).toBe(201);
    await deliver(queue);
    await scheduler(queue).tick(Date.now() + 1000);
    await deliver(queue);

    const window = `from=${new Date(Date.now() - HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}&queue=${queue}`;
    const report = await api("GET", `/api/v1/analytics/cost?${window}`);
    expect(report.status).toBe(200);
    const { totals, byType, prices } = report.body;
    expect(prices).toEqual(unitPricesSchema.parse({}));
    expect(totals).toMatchObject({ submitted: 5, attempts: 6, failedAttempts: 1 });
    // Three Queue operations per attempt and the scheduler's requests, at the published prices.
    expect(totals.cost.queues).toBeCloseTo((6 * 3 * 0.4) / 1e6, 12);
    expect(totals.cost.durableObjects).toBeCloseTo(((5 + 6 * 2) * 0.15) / 1e6, 12);
    const expected = estimateCost({ submitted: 5, attempts: 6, failedAttempts: 1, runMs: totals.computeSeconds * 1000 }, prices);
    expect(totals.cost.total).toBeCloseTo(expected.cost.total, 12);
    expect(totals.retryCost).toBeGreaterThan(0);

    const fail = byType.find((r: { type: string }) => r.type === "fail");
    expect(fail).toMatchObject({ queue, submitted: 1, attempts: 2, failedAttempts: 1 });
    expect(fail.usage.queueOperations).toBe(6);
    const echo = byType.find((r: { type: string }) => r.type === "echo");
    expect(echo).toMatchObject({ submitted: 4, attempts: 4, failedAttempts: 0, retryCost: 0 });
    // The most expensive type comes first.
    expect(byType[0].cost.total).toBeGreaterThanOrEqual(byType[1].cost.total);

    const repriced = await api("GET", `/api/v1/analytics/cost?${window}&queueOperationsPerMillion=1`);
    expect(repriced.body.prices.queueOperationsPerMillion).toBe(1);
    expect(repriced.body.totals.cost.queues).toBeCloseTo(18 / 1e6, 12);
  });

  it("takes unit prices from EDGEQ_UNIT_PRICES, and falls back to the published ones when it is malformed", async () => {
    const configured = await fetchWith({ EDGEQ_UNIT_PRICES: '{"queueOperationsPerMillion": 2}' }, "GET", "/api/v1/analytics/cost");
    expect(configured.status).toBe(200);
    expect(configured.body.prices).toEqual({ ...unitPricesSchema.parse({}), queueOperationsPerMillion: 2 });
    for (const bad of ["not json", '{"queueOperationsPerMillion": -1}']) {
      const fallback = await fetchWith({ EDGEQ_UNIT_PRICES: bad }, "GET", "/api/v1/analytics/cost");
      expect(fallback.status).toBe(200);
      expect(fallback.body.prices).toEqual(unitPricesSchema.parse({}));
    }
  });

  it("refuses bad prices and unknown parameters", async () => {
    for (const query of ["workersCpuMsPerMillion=-1", "queueOperationsPerMillion=cheap", "currency=eur"]) {
      const res = await api("GET", `/api/v1/analytics/cost?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });
});

describe("forecasting", () => {
  it("forecasts a queue's coming days from its hourly history and flags a peak its concurrency cannot meet", async () => {
    const queue = uniqueQueue("forecast");
    expect((await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 5 })).status).toBe(200);
    const { end } = await seedHistory(queue, 21 * 24, 36_000, 1000);

    const res = await api("GET", `/api/v1/analytics/forecast?queue=${queue}&days=7&targetLatencyMs=2000`);
    expect(res.status).toBe(200);
    const [f] = res.body.queues;
    expect(res.body.queues).toHaveLength(1);
    expect(f).toMatchObject({ queue, status: "ok", historyHours: 21 * 24, currentConcurrency: 5 });
    expect(f.days).toHaveLength(7);

    // The history repeats every week, so the next week should look like the last one.
    let lastWeek = 0;
    for (let t = end - 7 * DAY; t < end; t += HOUR) lastWeek += submittedAt(t, 36_000);
    expect(f.next7Days).toBeGreaterThan(lastWeek * 0.9);
    expect(f.next7Days).toBeLessThan(lastWeek * 1.1);
    expect(f.next30Days).toBeGreaterThan(f.next7Days * 4);
    expect(f.backtest.heldBackHours).toBe(168);
    expect(f.backtest.wape).toBeLessThan(0.1);

    // 36,000 jobs an hour at 1 s each is 10 in flight; a 2 s latency needs 20 slots, the queue has 5.
    expect(f.neededConcurrency).toBeGreaterThanOrEqual(20);
    expect(f.atRisk).toBe(true);
    expect(res.body.atRisk).toEqual([queue]);
    expect(f.reasoning).toMatch(/peak of 36000 jobs an hour/);
  });

  it("says when a queue has too little history to forecast", async () => {
    const queue = uniqueQueue("young");
    expect((await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 5 })).status).toBe(200);
    await seedHistory(queue, 5, 100, 10);
    const res = await api("GET", `/api/v1/analytics/forecast?queue=${queue}`);
    expect(res.body.queues[0]).toMatchObject({ status: "not_enough_history", historyHours: 5, next7Days: null, atRisk: false, days: [] });
  });

  it("refuses bad horizons", async () => {
    for (const query of ["days=0", "days=91", "targetLatencyMs=-5", "horizon=7"]) {
      expect((await api("GET", `/api/v1/analytics/forecast?${query}`)).status).toBe(400);
    }
  });
});
