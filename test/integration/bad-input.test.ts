import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { jobCount } from "../helpers/db";

const big = "x".repeat(1024 * 1024 + 1);

describe("bad input gets a 4xx that says what is wrong, and writes nothing", () => {
  const queue = uniqueQueue("bad");
  const cases: { name: string; path?: string; body: unknown; status: number; code: string; mentions?: string; headers?: Record<string, string> }[] = [
    { name: "malformed JSON", body: '{"type": "echo",', status: 400, code: "invalid_json" },
    { name: "a body that is not JSON", body: "type=echo", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, code: "unsupported_media_type" },
    { name: "no type", body: { queue }, status: 400, code: "validation_failed", mentions: "type" },
    { name: "a type of the wrong kind", body: { queue, type: 42 }, status: 400, code: "validation_failed", mentions: "type" },
    { name: "queue name with bad characters", body: { queue: "bad queue/../x", type: "echo" }, status: 400, code: "validation_failed", mentions: "queue" },
    { name: "priority 11", body: { queue, type: "echo", priority: 11 }, status: 400, code: "validation_failed", mentions: "priority" },
    { name: "an unknown priority name", body: { queue, type: "echo", priority: "urgent" }, status: 400, code: "validation_failed", mentions: "priority" },
    { name: "negative delay", body: { queue, type: "echo", delay: -5 }, status: 400, code: "validation_failed", mentions: "delay" },
    { name: "delay and runAt together", body: { queue, type: "echo", delay: 5, runAt: "2030-01-01T00:00:00Z" }, status: 400, code: "validation_failed", mentions: "runAt" },
    { name: "runAt that is not a time", body: { queue, type: "echo", runAt: "tomorrow" }, status: 400, code: "validation_failed", mentions: "runAt" },
    { name: "maxAttempts 0", body: { queue, type: "echo", maxAttempts: 0 }, status: 400, code: "validation_failed", mentions: "maxAttempts" },
    { name: "an unknown backoff", body: { queue, type: "echo", backoff: { type: "linear" } }, status: 400, code: "validation_failed", mentions: "backoff" },
    { name: "an unknown field", body: { queue, type: "echo", attempts: 3 }, status: 400, code: "validation_failed", mentions: "attempts" },
    { name: "a body that is an array", body: [{ queue, type: "echo" }], status: 400, code: "validation_failed" },
    { name: "a payload over 1 MB", body: { queue, type: "echo", payload: big }, status: 413, code: "payload_too_large", mentions: "payload" },
    { name: "a batch of 1,001", path: "/api/v1/jobs/batch", body: { queue, jobs: Array.from({ length: 1001 }, () => ({ type: "echo" })) }, status: 400, code: "validation_failed", mentions: "1000" },
    { name: "an empty batch", path: "/api/v1/jobs/batch", body: { queue, jobs: [] }, status: 400, code: "validation_failed", mentions: "jobs" },
    { name: "a batch with one bad job among good ones", path: "/api/v1/jobs/batch", body: { queue, jobs: [{ type: "echo" }, { type: "echo", priority: 99 }] }, status: 400, code: "validation_failed", mentions: "jobs.1.priority" },
    { name: "a NUL character, which Postgres cannot store", body: `{"queue":"${queue}","type":"echo","payload":{"s":"a\\u0000b"}}`, status: 400, code: "validation_failed", mentions: "NUL" },
    { name: "the short form with a bad priority", path: "/submit-job", body: { type: "echo", priority: "highest" }, status: 400, code: "validation_failed", mentions: "priority" },
  ];

  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const res = await api("POST", c.path ?? "/api/v1/jobs", c.body, c.headers);
      expect(res.status).toBe(c.status);
      expect(res.body).toEqual({ error: { code: c.code, message: expect.any(String), details: expect.anything() } });
      if (c.mentions) expect(res.body.error.message + JSON.stringify(res.body.error.details)).toContain(c.mentions);
      expect(await jobCount(queue)).toBe(0);
    });
  }

  it("answers unknown routes, bad ids, bad filters and bad queue settings with JSON errors", async () => {
    const checks: [string, string, unknown, number, string][] = [
      ["GET", "/api/v1/nope", undefined, 404, "route_not_found"],
      ["GET", "/api/v1/jobs/not-a-uuid", undefined, 400, "validation_failed"],
      ["GET", `/api/v1/jobs/${crypto.randomUUID()}`, undefined, 404, "not_found"],
      ["GET", "/api/v1/jobs?state=finished", undefined, 400, "validation_failed"],
      ["GET", "/api/v1/jobs?limit=100000", undefined, 400, "validation_failed"],
      ["GET", "/api/v1/jobs?cursor=garbage", undefined, 400, "validation_failed"],
      ["PUT", `/api/v1/queues/${queue}`, { concurrency: 0 }, 400, "validation_failed"],
      ["PUT", `/api/v1/queues/${queue}`, {}, 400, "validation_failed"],
      ["GET", "/api/v1/queues/does-not-exist-here", undefined, 404, "not_found"],
      ["POST", "/api/v1/dlq/retry", { ids: ["x"] }, 400, "validation_failed"],
      ["POST", "/api/v1/dlq/retry", {}, 400, "validation_failed"],
      ["GET", "/job-status/nope", undefined, 400, "validation_failed"],
    ];
    for (const [method, path, body, status, code] of checks) {
      const res = await api(method, path, body);
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status, code });
    }
    expect(await jobCount(queue)).toBe(0);
  });
});
