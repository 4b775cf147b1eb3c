import { expect } from "vitest";
import { api, uniqueQueue } from "./api";
import { deliver, scheduler } from "./deliver";

/**
 * A shared rate-limit key as producers meet it, whichever limiter serves it: 5 per minute across
 * two queues lets 5 of 12 jobs start; the rest wait (queued, no attempt made, held as delayed by
 * their schedulers) rather than fail. Returns the queues and the moment the limit was first hit.
 */
export async function checkSharedKeyLimit() {
  const key = `stripe-${crypto.randomUUID().slice(0, 8)}`;
  const put = await api("PUT", `/api/v1/rate-limits/${key}`, { limit: 5, periodMs: 60_000 });
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ key, limit: 5, periodMs: 60_000 });
  const queues = [uniqueQueue("ka"), uniqueQueue("kb")];
  const start = Date.now();
  for (const queue of queues) {
    const res = await api("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: 6 }, (_, i) => ({ type: "echo", payload: i, rateLimitKey: key })) });
    expect(res.status).toBe(201);
  }
  const leased = (await Promise.all(queues.map(async (q) => (await scheduler(q).leases()).length))).reduce((a, b) => a + b, 0);
  expect(leased).toBe(5);
  for (const queue of queues) await deliver(queue);

  const jobs = (await Promise.all(queues.map(async (q) => (await api("GET", `/api/v1/jobs?queue=${q}&limit=100`)).body.jobs))).flat();
  expect(jobs.filter((j: { state: string }) => j.state === "completed")).toHaveLength(5);
  const waiting = jobs.filter((j: { state: string }) => j.state !== "completed");
  expect(waiting).toHaveLength(7);
  for (const j of waiting) expect(j).toMatchObject({ state: "queued", attempt: 0, rateLimitKey: key });
  const delayed = (await Promise.all(queues.map(async (q) => (await scheduler(q).stats()).delayed))).reduce((a, b) => a + b, 0);
  expect(delayed).toBe(7);
  return { key, queues, start };
}
