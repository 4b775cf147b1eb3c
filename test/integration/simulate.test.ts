import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver } from "../helpers/deliver";

describe("the simulate job type", () => {
  it("succeeds with its drawn run time when it is not asked to fail", async () => {
    const queue = uniqueQueue("sim");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "simulate", payload: { failureRate: 0, latencyMs: { p50: 5, p99: 10 } } });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job.state).toBe("completed");
    expect(job.result).toMatchObject({ simulated: true });
    expect(job.result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(job.result.latencyMs).toBeLessThanOrEqual(30);
  });

  it("fails like a real service, and the insight names the failure for what it is", async () => {
    const queue = uniqueQueue("sim");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "simulate", maxAttempts: 3, payload: { failureRate: 1, errors: ["not_found"], latencyMs: { p50: 1, p99: 2 } } });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    // Not found is permanent: dead on the first attempt.
    expect(job).toMatchObject({ state: "dead", attempt: 1, error: { code: "http_404", retryable: false } });
    expect(job.error.message).toMatch(/answered 404: Not Found/);
    const [insight] = (await api("GET", `/api/v1/insights?job_id=${body.id}`)).body.insights;
    expect(insight.failure_category).toBe("not_found");
  });

  it("keeps a rate limit's Retry-After as the floor of the next attempt", async () => {
    const queue = uniqueQueue("sim");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "simulate", backoff: { type: "fixed", delayMs: 0 }, payload: { failureRate: 1, errors: ["rate_limited"], latencyMs: { p50: 0, p99: 0 } } });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "scheduled", attempt: 1, error: { name: "Error", code: "http_429" } });
    expect(Date.parse(job.runAt) - Date.parse(job.attempts[0].finishedAt)).toBeGreaterThanOrEqual(2000);
  });

  it("dead-letters a bad payload at once, saying what is wrong", async () => {
    const queue = uniqueQueue("sim");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "simulate", payload: { failureRate: 2 } });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "dead", error: { code: "bad_payload" } });
    expect(job.error.message).toMatch(/failureRate/);
  });
});
