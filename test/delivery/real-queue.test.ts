import { describe, expect, it, vi } from "vitest";
import { api, uniqueQueue } from "../helpers/api";

/**
 * Here, unlike the integration project, wrangler.toml's queue consumer is live: jobs travel the
 * whole way through the local Cloudflare Queue to the Worker's queue() handler by themselves, as
 * in `npm run dev`. The test waits for outcomes with a bounded poll; nothing here steers delivery.
 */
/** Polls (bounded) until the queue's counts show exactly `completed` jobs, all completed. */
async function waitForCompleted(queue: string, completed: number, timeout: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const { body } = await api("GET", `/api/v1/queues/${queue}`);
      expect(body.counts).toEqual({ completed });
    },
    { timeout, interval: 100 },
  );
}

describe("through the real local queue", () => {
  it("runs a batch of jobs and a retry to completion with no test driving the consumer", async () => {
    const queue = uniqueQueue("live");
    const jobs = [
      ...Array.from({ length: 30 }, (_, i) => ({ type: "echo", payload: { i } })),
      { type: "fail", payload: { times: 1 }, backoff: { type: "fixed", delayMs: 200 } },
    ];
    const submitted = await api("POST", "/api/v1/jobs/batch", { queue, jobs });
    expect(submitted.status).toBe(201);

    await waitForCompleted(queue, 31, 20_000);
    const retried = submitted.body.jobs.at(-1).id;
    expect((await api("GET", `/api/v1/jobs/${retried}`)).body).toMatchObject({ state: "completed", attempt: 2 });
  });

  it("runs a burst larger than one send of messages, packed several jobs to a message", async () => {
    const queue = uniqueQueue("packed");
    expect((await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 500 })).status).toBe(200);
    const submitted = await api("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: 450 }, (_, i) => ({ type: "echo", payload: { i } })) });
    expect(submitted.status).toBe(201);

    await waitForCompleted(queue, 450, 30_000);
    const { body } = await api("GET", `/api/v1/jobs/${submitted.body.jobs[0].id}`);
    expect(body).toMatchObject({ state: "completed", attempt: 1 });
  });
});
