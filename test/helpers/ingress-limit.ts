import { expect } from "vitest";
import { api, uniqueQueue } from "./api";

/**
 * The ingress limit as a client meets it, whichever limiter serves it: a key allowed 3 requests
 * per minute gets 3 answers with falling RateLimit-Remaining, then a 429 with Retry-After that
 * writes nothing; another key is not affected.
 */
export async function checkIngressLimit(): Promise<void> {
  const made = await api("POST", "/api/v1/keys", { name: "tight", scopes: ["producer"], rateLimit: { limit: 3, windowMs: 60_000 } });
  expect(made.status).toBe(201);
  expect(made.body.rateLimit).toEqual({ limit: 3, windowMs: 60_000 });
  const auth = { authorization: `Bearer ${made.body.key}` };
  const queue = uniqueQueue("limited");

  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: i }, auth);
    expect(res.status).toBe(201);
    expect(res.headers.get("RateLimit-Limit")).toBe("3");
    expect(res.headers.get("RateLimit-Policy")).toBe("3;w=60");
    remaining.push(res.headers.get("RateLimit-Remaining")!);
  }
  expect(remaining).toEqual(["2", "1", "0"]);

  const refused = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: "over" }, auth);
  expect(refused.status).toBe(429);
  expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { limit: 3, windowMs: 60_000 } });
  const retryAfter = Number(refused.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(refused.headers.get("RateLimit-Remaining")).toBe("0");
  expect((await api("GET", `/api/v1/jobs?queue=${queue}`)).body.jobs).toHaveLength(3);

  const other = await api("GET", "/api/v1/queues");
  expect(other.status).toBe(200);
  expect(Number(other.headers.get("RateLimit-Remaining"))).toBeGreaterThan(1000);
}
