import { describe, expect, it } from "vitest";
import { JobError } from "../../src/handlers/job-error";
import { mapErrors, timeout } from "../../src/handlers/middleware/builtin";
import { registry } from "../../src/handlers/registry";
import { api, uniqueQueue } from "../helpers/api";
import { deliver } from "../helpers/deliver";

// The Worker's own registry, as an application would extend it; the types are this file's alone.
registry
  .set("mw-lookup", () => {
    throw Object.assign(new Error("GET /orders/42 failed"), { status: 404 });
  })
  .use("mw-lookup", mapErrors((e) => ((e as { status?: number }).status === 404 ? new JobError("order 42 does not exist", { retryable: false, code: "http_404" }) : undefined)))
  .set("mw-slow", ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))))
  .use("mw-slow", timeout(50));

describe("handler middleware in the consumer", () => {
  it("maps a handler's error to a permanent failure: dead after one attempt of three", async () => {
    const queue = uniqueQueue("mw");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "mw-lookup", maxAttempts: 3 });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "dead", attempt: 1, error: { message: "order 42 does not exist", code: "http_404", retryable: false } });
  });

  it("ends an attempt at the middleware's shorter timeout, counted as a timeout and retried", async () => {
    const queue = uniqueQueue("mw");
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "mw-slow", maxAttempts: 2, timeoutMs: 60_000 });
    await deliver(queue);
    const job = (await api("GET", `/api/v1/jobs/${body.id}`)).body;
    expect(job).toMatchObject({ state: "scheduled", attempt: 1, error: { name: "TimeoutError" } });
    expect(job.error.message).toMatch(/timed out after 50 ms/);
    expect(job.attempts[0].outcome).toBe("timeout");
  });
});
