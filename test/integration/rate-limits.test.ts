import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver, scheduler } from "../helpers/deliver";
import { checkSharedKeyLimit } from "../helpers/shared-rate-limit";

/** When each current lease was given, read back from its deadline (given at `now`: now + timeout + visibility). */
async function leaseTimes(queue: string, timeoutMs: number, visibilityTimeoutMs: number): Promise<number[]> {
  return (await scheduler(queue).leases()).map((l) => l.deadline - timeoutMs - visibilityTimeoutMs);
}

describe("a queue's rate limit", () => {
  it("never starts more than 10 jobs in any second while 200 run, and limited jobs wait rather than fail", async () => {
    const queue = uniqueQueue("rate");
    const put = await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 100, rateLimit: { limit: 10, periodMs: 1000 } });
    expect(put.body.rateLimit).toEqual({ limit: 10, periodMs: 1000 });
    const { timeoutMs, visibilityTimeoutMs } = put.body;
    await api("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: 200 }, (_, i) => ({ type: "echo", payload: i })) });

    const starts: number[] = [];
    const take = async () => {
      starts.push(...(await leaseTimes(queue, timeoutMs, visibilityTimeoutMs)));
      await deliver(queue);
    };
    await take();
    const stats = await scheduler(queue).stats();
    expect(stats).toMatchObject({ ready: 190, leased: 0 });
    expect(stats.nextWakeAt).toBeGreaterThan(Date.now());
    // The clock runs ahead of real time in steps of a tenth of the window, never sleeping.
    for (let now = Date.now() + 60_000, i = 0; starts.length < 200 && i < 1000; i++, now += 100) {
      await scheduler(queue).tick(now);
      await take();
    }
    expect(starts).toHaveLength(200);
    const busiest = Math.max(...starts.map((s) => starts.filter((t) => t >= s && t < s + 1000).length));
    expect(busiest).toBe(10);
    const jobs = (await api("GET", `/api/v1/jobs?queue=${queue}&limit=200`)).body.jobs;
    expect(jobs.every((j: { state: string; attempt: number }) => j.state === "completed" && j.attempt === 1)).toBe(true);
  });

  it("is lifted by setting it to null", async () => {
    const queue = uniqueQueue("lift");
    await api("PUT", `/api/v1/queues/${queue}`, { rateLimit: { limit: 1, periodMs: 60_000 } });
    await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }, { type: "echo" }] });
    expect(await scheduler(queue).leases()).toHaveLength(1);
    expect((await api("PUT", `/api/v1/queues/${queue}`, { rateLimit: null })).body.rateLimit).toBeNull();
    expect(await scheduler(queue).leases()).toHaveLength(3);
  });
});

describe("shared rate-limit keys through the Durable Object limiter (no Upstash configured)", () => {
  it("limits jobs across queues and lets the waiting ones go when the window moves on", async () => {
    const { queues, start } = await checkSharedKeyLimit();
    for (let now = start + 60_000, i = 0; i < 10; i++, now += 30_000) {
      for (const q of queues) await scheduler(q).tick(now);
      for (const q of queues) await deliver(q);
    }
    const jobs = (await Promise.all(queues.map(async (q) => (await api("GET", `/api/v1/jobs?queue=${q}`)).body.jobs))).flat();
    expect(jobs.map((j: { state: string; attempt: number }) => `${j.state}/${j.attempt}`)).toEqual(Array(12).fill("completed/1"));
  });

  it("lists, reads and removes keys", async () => {
    const key = `list-${crypto.randomUUID().slice(0, 8)}`;
    await api("PUT", `/api/v1/rate-limits/${key}`, { limit: 3, periodMs: 1000 });
    expect((await api("GET", "/api/v1/rate-limits")).body.keys.map((k: { key: string }) => k.key)).toContain(key);
    expect((await api("GET", `/api/v1/rate-limits/${key}`)).body).toMatchObject({ key, limit: 3, periodMs: 1000 });
    expect((await api("DELETE", `/api/v1/rate-limits/${key}`)).body).toEqual({ deleted: true, key });
    expect((await api("GET", `/api/v1/rate-limits/${key}`)).status).toBe(404);
  });
});

describe("bad rate limits get a 400 and write nothing", () => {
  it("refuses negative, zero and malformed limits for keys and queues", async () => {
    const key = `bad-${crypto.randomUUID().slice(0, 8)}`;
    const queue = uniqueQueue("badrate");
    const cases: [string, string, unknown, string][] = [
      ["PUT", `/api/v1/rate-limits/${key}`, { limit: -1, periodMs: 1000 }, "limit"],
      ["PUT", `/api/v1/rate-limits/${key}`, { limit: 0, periodMs: 1000 }, "limit"],
      ["PUT", `/api/v1/rate-limits/${key}`, { limit: 5, periodMs: -10 }, "periodMs"],
      ["PUT", `/api/v1/rate-limits/${key}`, { limit: 1.5, periodMs: 1000 }, "limit"],
      ["PUT", `/api/v1/rate-limits/${key}`, { limit: 5 }, "periodMs"],
      ["PUT", "/api/v1/rate-limits/has%20space", { limit: 5, periodMs: 1000 }, "key"],
      ["PUT", `/api/v1/queues/${queue}`, { rateLimit: { limit: -5, periodMs: 1000 } }, "rateLimit.limit"],
      ["POST", "/api/v1/jobs", { queue, type: "echo", rateLimitKey: "no spaces allowed" }, "rateLimitKey"],
      ["POST", "/api/v1/jobs", { queue, type: "echo", concurrencyLimit: 2 }, "concurrencyKey"],
      ["POST", "/api/v1/jobs", { queue, type: "echo", concurrencyKey: "c", concurrencyLimit: 0 }, "concurrencyLimit"],
    ];
    for (const [method, path, body, mentions] of cases) {
      const res = await api(method, path, body);
      expect({ path, body, status: res.status, code: res.body.error?.code }).toEqual({ path, body, status: 400, code: "validation_failed" });
      expect(res.body.error.message + JSON.stringify(res.body.error.details)).toContain(mentions);
    }
    expect((await api("GET", `/api/v1/rate-limits/${key}`)).status).toBe(404);
    expect((await api("GET", `/api/v1/queues/${queue}`)).status).toBe(404);
  });
});
