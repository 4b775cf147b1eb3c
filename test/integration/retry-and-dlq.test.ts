import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver, scheduler } from "../helpers/deliver";

/** Runs the job's next attempt: wakes the scheduler at the retry's due time and delivers. */
async function nextAttempt(queue: string, jobId: string) {
  const job = (await api("GET", `/api/v1/jobs/${jobId}`)).body;
  await scheduler(queue).tick(Date.parse(job.runAt));
  expect(await deliver(queue)).toHaveLength(1);
  return (await api("GET", `/api/v1/jobs/${jobId}`)).body;
}

describe("retries and the dead-letter queue", () => {
  it("retries with backoff, dead-letters after maxAttempts, and completes after a DLQ retry", async () => {
    const queue = uniqueQueue();
    const backoff = { type: "fixed", delayMs: 2000 };
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { times: 3, message: "flaky" }, maxAttempts: 3, backoff });

    expect(await deliver(queue)).toHaveLength(1);
    let job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "scheduled", attempt: 1, attemptsLeft: 2, error: { message: "flaky" } });
    const failedAt = Date.parse(job.attempts[0].finishedAt);
    expect(Date.parse(job.runAt) - failedAt).toBe(2000);

    // Not before its backoff: a tick just before the due time leases nothing.
    expect(await scheduler(queue).tick(Date.parse(job.runAt) - 1)).toMatchObject({ dispatched: 0 });

    job = await nextAttempt(queue, body.id);
    expect(job).toMatchObject({ state: "scheduled", attempt: 2 });
    job = await nextAttempt(queue, body.id);
    expect(job).toMatchObject({ state: "dead", attempt: 3, attemptsLeft: 0 });
    expect(job.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["failed", "failed", "failed"]);
    expect(await scheduler(queue).stats()).toMatchObject({ ready: 0, delayed: 0, leased: 0 });

    const dlq = await api("GET", `/api/v1/dlq?queue=${queue}`);
    expect(dlq.body.jobs.map((j: { id: string }) => j.id)).toEqual([body.id]);

    const retried = await api("POST", "/api/v1/dlq/retry", { ids: [body.id] });
    expect(retried.body).toMatchObject({ retried: 1, ids: [body.id] });
    expect(await deliver(queue)).toHaveLength(1);
    job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "completed", attempt: 4, result: { succeededOnAttempt: 4 } });
    expect((await api("GET", `/api/v1/dlq?queue=${queue}`)).body.jobs).toEqual([]);
  });

  it("dead-letters a non-retryable failure on its first attempt", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { retryable: false, message: "bad input" }, maxAttempts: 10 });
    await deliver(queue);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body).toMatchObject({ state: "dead", attempt: 1, error: { retryable: false } });
  });

  it("retries the dead-letter queue in bulk by filter, and deletes from it", async () => {
    const queue = uniqueQueue();
    const jobs = Array.from({ length: 5 }, () => ({ type: "fail", payload: { times: 1, retryable: false } }));
    const { body } = await api("POST", "/api/v1/jobs/batch", { queue, jobs });
    await deliver(queue);
    expect((await api("GET", `/api/v1/dlq?queue=${queue}`)).body.jobs).toHaveLength(5);

    const doomed = body.jobs[0].id;
    expect((await api("DELETE", `/api/v1/dlq/${doomed}`)).body).toEqual({ deleted: true, id: doomed });
    expect((await api("GET", `/api/v1/jobs/${doomed}`)).status).toBe(404);
    expect((await api("DELETE", `/api/v1/dlq/${doomed}`)).status).toBe(404);

    const retried = await api("POST", "/api/v1/dlq/retry", { filter: { queue, error: "fail handler" } });
    expect(retried.body).toMatchObject({ retried: 4, more: false });
    await deliver(queue);
    const done = await api("GET", `/api/v1/jobs?queue=${queue}&state=completed`);
    expect(done.body.jobs).toHaveLength(4);
  });

  it("retries a dead job through POST /jobs/:id/retry, and refuses to retry a live one", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { times: 1, retryable: false } });
    const early = await api("POST", `/api/v1/jobs/${body.id}/retry`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("not_retryable_state");
    await deliver(queue);
    const retried = await api("POST", `/api/v1/jobs/${body.id}/retry`);
    expect(retried.body).toMatchObject({ state: "queued", attemptsLeft: 3 });
    await deliver(queue);
    expect((await api("GET", `/api/v1/jobs/${body.id}`)).body.state).toBe("completed");
  });
});
