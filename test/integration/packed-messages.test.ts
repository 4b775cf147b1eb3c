import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { QueueMessage } from "../../src/consumer/job-message";
import worker from "../../src/index";
import { api, uniqueQueue } from "../helpers/api";
import { JOBS_QUEUE, pendingMessages, scheduler } from "../helpers/deliver";

async function runPacked(messages: QueueMessage[]) {
  const batch = createMessageBatch<QueueMessage>(
    JOBS_QUEUE,
    messages.map((body, i) => ({ id: `packed-${i}-${Math.random()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("messages that carry several leased jobs", () => {
  it("runs every job of a packed message once, and a redelivered packed message changes nothing", async () => {
    const queue = uniqueQueue("packed");
    const submitted = await api("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: 7 }, (_, i) => ({ type: "echo", payload: i })) });
    expect(submitted.status).toBe(201);
    const pending = await pendingMessages(queue);
    expect(pending).toHaveLength(7);
    const packed: QueueMessage[] = [
      { q: queue, j: pending.slice(0, 4).map((m) => [m.id, m.l] as [string, number]) },
      { q: queue, j: pending.slice(4).map((m) => [m.id, m.l] as [string, number]) },
    ];

    expect((await runPacked(packed)).ackAll).toBe(true);
    const { body } = await api("GET", `/api/v1/queues/${queue}`);
    expect(body.counts).toEqual({ completed: 7 });
    expect(await scheduler(queue).leases()).toEqual([]);

    expect((await runPacked(packed)).ackAll).toBe(true);
    for (const job of submitted.body.jobs) {
      const { body: one } = await api("GET", `/api/v1/jobs/${job.id}`);
      expect(one.attempts).toHaveLength(1);
    }
  });

  it("drops a malformed message and still runs the rest of the batch", async () => {
    const queue = uniqueQueue("packed");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: "x" });
    const [message] = await pendingMessages(queue);
    const result = await runPacked([{ q: queue, j: [] } as unknown as QueueMessage, { q: queue, j: [[message!.id, message!.l]] }]);
    expect(result.ackAll).toBe(true);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body.state).toBe("completed");
  });
});
