import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver } from "../helpers/deliver";
import { fetchWith, received, target } from "../helpers/webhooks";

const uniqueType = () => `remote-${crypto.randomUUID().slice(0, 8)}`;

/** Binds a fresh job type to `url`, runs one job of it, and returns the job. */
async function runBound(url: string, binding: Record<string, unknown> = {}, job: Record<string, unknown> = {}) {
  const type = uniqueType();
  expect((await api("PUT", `/api/v1/endpoints/${type}`, { url, ...binding })).status).toBe(201);
  const queue = uniqueQueue();
  const { body } = await api("POST", "/api/v1/jobs", { queue, type, payload: { order: 7 }, maxAttempts: 3, backoff: { type: "fixed", delayMs: 1000 }, ...job });
  await deliver(queue);
  return (await api("GET", `/api/v1/jobs/${body.id}`)).body;
}

describe("endpoint handlers", () => {
  it("200: the job is POSTed, signed, with the binding's headers and never an API key; the answer is its result", async () => {
    const key = crypto.randomUUID().slice(0, 12);
    const job = await runBound(`${target}/flaky/${key}`, { headers: { "x-team-token": "t-1" } });
    expect(job).toMatchObject({ state: "completed", result: { received: 1 }, attempt: 1 });
    const [request] = await received(key);
    expect(request!.headers["x-team-token"]).toBe("t-1");
    expect(request!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(request!.headers)).not.toContain(env.EDGEQ_ADMIN_KEY!);
    const sent = new Webhook(env.EDGEQ_SIGNING_SECRET!).verify(request!.body, request!.headers);
    expect(sent).toMatchObject({ id: job.id, type: job.type, queue: job.queue, attempt: 1, payload: { order: 7 } });
    expect(() => new Webhook(env.EDGEQ_SIGNING_SECRET!).verify(request!.body.replace("7", "8"), request!.headers)).toThrow();
  });

  it("404 fails for good: the job is dead after one attempt", async () => {
    expect(await runBound(`${target}/status/404`)).toMatchObject({ state: "dead", attempt: 1, error: { code: "http_404", retryable: false } });
  });

  it("429 with Retry-After retries no sooner than the endpoint asked", async () => {
    const job = await runBound(`${target}/status/429?retryAfter=120`);
    expect(job).toMatchObject({ state: "scheduled", error: { code: "http_429", retryable: true } });
    expect(Date.parse(job.runAt) - Date.parse(job.attempts[0].finishedAt)).toBe(120_000);
  });

  it("503 retries at the backoff", async () => {
    const job = await runBound(`${target}/status/503`);
    expect(job).toMatchObject({ state: "scheduled", error: { code: "http_503", retryable: true } });
    expect(Date.parse(job.runAt) - Date.parse(job.attempts[0].finishedAt)).toBe(1000);
  });

  it("a timeout retries, recorded as a timeout", async () => {
    const job = await runBound(`${target}/slow?ms=3000`, { timeoutMs: 200 });
    expect(job).toMatchObject({ state: "scheduled", error: { name: "TimeoutError", retryable: true } });
    expect(job.attempts[0]).toMatchObject({ outcome: "timeout" });
    expect(job.attempts[0].durationMs).toBeLessThan(3000);
  });

  it("an unreachable endpoint retries", async () => {
    expect(await runBound("http://127.0.0.1:9/nothing-listens")).toMatchObject({ state: "scheduled", error: { code: "endpoint_unreachable" } });
  });

  it("a queue can be bound too; a job type's own binding wins over its queue's", async () => {
    const queue = uniqueQueue();
    const queueKey = crypto.randomUUID().slice(0, 12);
    expect((await api("PUT", `/api/v1/queues/${queue}/endpoint`, { url: `${target}/flaky/${queueKey}` })).status).toBe(201);
    const typed = uniqueType();
    await api("PUT", `/api/v1/endpoints/${typed}`, { url: `${target}/status/404` });
    const a = (await api("POST", "/api/v1/jobs", { queue, type: "anything", maxAttempts: 1 })).body;
    const b = (await api("POST", "/api/v1/jobs", { queue, type: typed, maxAttempts: 1 })).body;
    await deliver(queue);
    expect((await api("GET", `/api/v1/jobs/${a.id}`)).body).toMatchObject({ state: "completed", result: { received: 1 } });
    expect((await api("GET", `/api/v1/jobs/${b.id}`)).body).toMatchObject({ state: "dead", error: { code: "http_404" } });

    const listed = (await api("GET", "/api/v1/endpoints")).body.endpoints;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "queue", name: queue }), expect.objectContaining({ kind: "type", name: typed })]));
    expect((await api("DELETE", `/api/v1/queues/${queue}/endpoint`)).status).toBe(200);
    expect((await api("GET", `/api/v1/queues/${queue}/endpoint`)).status).toBe(404);
  });

  it("shows header names, never their values, and answers 200 when a binding changes", async () => {
    const type = uniqueType();
    await api("PUT", `/api/v1/endpoints/${type}`, { url: `${target}/echo`, headers: { authorization: "Bearer team-secret" } });
    const changed = await api("PUT", `/api/v1/endpoints/${type}`, { url: `${target}/echo`, timeoutMs: 5000, headers: { authorization: "Bearer team-secret" } });
    expect(changed).toMatchObject({ status: 200, body: { kind: "type", name: type, timeoutMs: 5000, headers: ["authorization"] } });
    expect(JSON.stringify((await api("GET", `/api/v1/endpoints/${type}`)).body)).not.toContain("team-secret");
  });

  it("refuses bad bindings with 4xx JSON errors", async () => {
    const type = uniqueType();
    for (const body of [{}, { url: `${target}/x`, timeoutMs: 5 }, { url: `${target}/x`, headers: { "webhook-signature": "x" } }, { url: `${target}/x`, extra: 1 }]) {
      expect((await api("PUT", `/api/v1/endpoints/${type}`, body)).body.error.code).toBe("validation_failed");
    }
    expect((await fetchWith({ EDGEQ_ALLOW_PRIVATE_WEBHOOKS: undefined }, "PUT", `/api/v1/endpoints/${type}`, { url: `${target}/x` })).body.error.code).toBe("target_not_allowed");
    expect((await fetchWith({ EDGEQ_SIGNING_SECRET: undefined }, "PUT", `/api/v1/endpoints/${type}`, { url: `${target}/x` })).body.error.code).toBe("signing_secret_missing");
    expect((await api("DELETE", `/api/v1/endpoints/${type}`)).status).toBe(404);
  });
});
