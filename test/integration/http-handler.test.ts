import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver } from "../helpers/deliver";

const target = inject("httpTargetUrl");

async function runHttpJob(payload: unknown) {
  const queue = uniqueQueue();
  const { body } = await api("POST", "/api/v1/jobs", { queue, type: "http", payload, maxAttempts: 3, backoff: { type: "fixed", delayMs: 1000 } });
  await deliver(queue);
  return (await api("GET", `/api/v1/jobs/${body.id}`)).body;
}

describe("the http handler", () => {
  it("completes with the response on 2xx, sending method, headers and a JSON body", async () => {
    const job = await runHttpJob({ url: `${target}/echo`, method: "POST", headers: { "x-token": "t1" }, body: { n: 1 } });
    expect(job).toMatchObject({
      state: "completed",
      result: { status: 200, body: { method: "POST", contentType: "application/json", token: "t1", body: '{"n":1}' } },
    });
  });

  it("retries a 503, waiting at least its Retry-After", async () => {
    const job = await runHttpJob({ url: `${target}/status/503?retryAfter=120` });
    expect(job).toMatchObject({ state: "scheduled", error: { code: "http_503", retryable: true } });
    const failedAt = Date.parse(job.attempts[0].finishedAt);
    expect(Date.parse(job.runAt) - failedAt).toBe(120_000);
  });

  it("retries a 429 and fails a 404 for good", async () => {
    expect(await runHttpJob({ url: `${target}/status/429` })).toMatchObject({ state: "scheduled", error: { code: "http_429" } });
    expect(await runHttpJob({ url: `${target}/status/404` })).toMatchObject({ state: "dead", attempt: 1, error: { code: "http_404", retryable: false } });
  });

  it("dead-letters a payload without a usable URL at once", async () => {
    expect(await runHttpJob({ url: "not a url" })).toMatchObject({ state: "dead", error: { code: "bad_payload", retryable: false } });
  });
});
