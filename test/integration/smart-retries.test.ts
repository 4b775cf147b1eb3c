import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver, scheduler } from "../helpers/deliver";

async function smartQueue(settings: Record<string, unknown> = {}) {
  const queue = uniqueQueue("smart");
  const put = await api("PUT", `/api/v1/queues/${queue}`, { retryPolicy: "smart", backoff: { type: "fixed", delayMs: 1000, jitter: "none" }, ...settings });
  expect(put.body).toMatchObject({ retryPolicy: "smart" });
  return queue;
}

describe("smart retries", () => {
  it("dead-letters at once a failure class that has not recovered in enough samples", async () => {
    const queue = await smartQueue({ maxAttempts: 2 });
    const message = "Your card was declined: insufficient_funds";
    const history = Array.from({ length: 20 }, () => ({ type: "fail", payload: { message } }));
    const { body } = await api("POST", "/api/v1/jobs/batch", { queue, jobs: history });
    expect(await deliver(queue)).toHaveLength(20);
    const first = (await api("GET", `/api/v1/jobs/${body.jobs[0].id}`)).body;
    expect(first).toMatchObject({ state: "scheduled", attempt: 1 });
    await scheduler(queue).tick(Date.parse(first.runAt) + 1000);
    expect(await deliver(queue)).toHaveLength(20);
    const dead = await api("GET", `/api/v1/dlq?queue=${queue}&limit=100`);
    expect(dead.body.jobs).toHaveLength(20);

    // Twenty jobs of this type failed this way and none recovered after a retry: the next one is not retried.
    const next = (await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { message }, maxAttempts: 5 })).body;
    await deliver(queue);
    expect((await api("GET", `/api/v1/jobs/${next.id}`)).body).toMatchObject({ state: "dead", attempt: 1, attemptsLeft: 4, error: { retryable: true } });
  });

  it("keeps retrying a class that recovers", async () => {
    const queue = await smartQueue({ maxAttempts: 3 });
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { times: 1, message: "read ECONNRESET" } });
    await deliver(queue);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body).toMatchObject({ state: "scheduled", attempt: 1 });
  });

  it("waits out a rate limit until its reset instead of the backoff", async () => {
    const queue = await smartQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { message: "429 Too Many Requests: retry after 45 seconds" } });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "scheduled", attempt: 1 });
    expect(Date.parse(job.runAt) - Date.parse(job.attempts[0].finishedAt)).toBe(45_000);
  });

  it("leaves a fixed-policy queue to its backoff", async () => {
    const queue = uniqueQueue();
    await api("PUT", `/api/v1/queues/${queue}`, { backoff: { type: "fixed", delayMs: 1000, jitter: "none" } });
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { message: "429 Too Many Requests: retry after 45 seconds" } });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(Date.parse(job.runAt) - Date.parse(job.attempts[0].finishedAt)).toBe(1000);
  });

  it("refuses an unknown retry policy", async () => {
    const res = await api("PUT", `/api/v1/queues/${uniqueQueue()}`, { retryPolicy: "aggressive" });
    expect(res.status).toBe(400);
  });
});
