import { describe, expect, it } from "vitest";
import { claimJobs } from "../../src/db/queries/claim-jobs";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, pendingMessages, scheduler } from "../helpers/deliver";

describe("cancel", () => {
  it("cancels a queued job, which then never runs", async () => {
    const queue = uniqueQueue();
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const cancelled = await api("DELETE", `/api/v1/jobs/${body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: "cancelled" });
    expect(await scheduler(queue).stats()).toMatchObject({ ready: 0, leased: 0 });
    await api("POST", `/api/v1/queues/${queue}/resume`);
    expect(await deliver(queue)).toHaveLength(0);

    const again = await api("DELETE", `/api/v1/jobs/${body.id}`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "job_final", details: { state: "cancelled" } });
  });

  it("cancels a job after it was leased but before it started: the late delivery does nothing", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await pendingMessages(queue);
    expect((await api("DELETE", `/api/v1/jobs/${body.id}`)).status).toBe(200);
    const { claimed, refused } = await db((d) => claimJobs(d, [{ id: message!.id, lease: message!.l }], new Date(), "test"));
    expect(claimed).toEqual([]);
    expect(refused).toMatchObject([{ state: "cancelled" }]);
  });

  it("refuses to cancel a running job with 409", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const [message] = await pendingMessages(queue);
    await db((d) => claimJobs(d, [{ id: message!.id, lease: message!.l }], new Date(), "test"));
    const res = await api("DELETE", `/api/v1/jobs/${body.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("job_running");
  });

  it("answers 404 for a job that does not exist", async () => {
    const res = await api("DELETE", `/api/v1/jobs/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});

describe("idempotency keys", () => {
  it("returns the existing job with 200 for the same key in the same queue, never a second job", async () => {
    const queue = uniqueQueue();
    const first = await api("POST", "/api/v1/jobs", { queue, type: "echo", idempotencyKey: "order-42" });
    const second = await api("POST", "/api/v1/jobs", { queue, type: "echo", idempotencyKey: "order-42", payload: { different: true } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, created: false, payload: null });
    expect((await scheduler(queue).stats()).leased + (await scheduler(queue).stats()).ready).toBe(1);

    const elsewhere = await api("POST", "/api/v1/jobs", { queue: uniqueQueue(), type: "echo", idempotencyKey: "order-42" });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.id).not.toBe(first.body.id);
  });

  it("deduplicates within a batch and against earlier jobs", async () => {
    const queue = uniqueQueue();
    const earlier = await api("POST", "/api/v1/jobs", { queue, type: "echo", idempotencyKey: "a" });
    const batch = await api("POST", "/api/v1/jobs/batch", {
      queue,
      jobs: [
        { type: "echo", idempotencyKey: "a" },
        { type: "echo", idempotencyKey: "b" },
        { type: "echo", idempotencyKey: "b" },
        { type: "echo" },
      ],
    });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ created: 2, existing: 2 });
    const ids = batch.body.jobs.map((j: { id: string }) => j.id);
    expect(ids[0]).toBe(earlier.body.id);
    expect(ids[1]).toBe(ids[2]);
    expect(new Set(ids).size).toBe(3);
  });

  it("makes concurrent submissions with one key agree on one job", async () => {
    const queue = uniqueQueue();
    const results = await Promise.all(Array.from({ length: 8 }, () => api("POST", "/api/v1/jobs", { queue, type: "echo", idempotencyKey: "race" })));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });
});
