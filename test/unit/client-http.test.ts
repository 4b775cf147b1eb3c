import { describe, expect, it } from "vitest";
import { EdgeqClient, EdgeqError, retryDelayMs } from "../../src/client";

describe("the client's retry delay", () => {
  it("honours Retry-After in seconds or as a date, within the cap", () => {
    expect(retryDelayMs("2", 0, 30_000)).toBe(2000);
    expect(retryDelayMs("0", 3, 30_000)).toBe(0);
    expect(retryDelayMs(new Date(10_000).toUTCString(), 0, 30_000, 4000)).toBe(6000);
    expect(retryDelayMs("3600", 0, 30_000)).toBe(30_000);
  });

  it("backs off exponentially without Retry-After", () => {
    expect([0, 1, 2, 3].map((n) => retryDelayMs(null, n, 30_000))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs("soon", 1, 30_000)).toBe(1000);
  });
});

/** A fetch that answers from a script and records what it was sent. */
function scripted(answers: Response[]) {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return answers.shift()!;
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("the client's transport", () => {
  it("retries a 503 with the same idempotency key, then returns the answer", async () => {
    const { fetch, sent } = scripted([json({ error: { code: "internal", message: "busy", details: {} } }, 503, { "retry-after": "0" }), json({ id: "j1", created: true }, 201)]);
    const edgeq = new EdgeqClient({ url: "http://edgeq.test/", key: "k", fetch });
    expect(await edgeq.submit({ type: "echo" })).toEqual({ id: "j1", created: true });
    expect(sent).toHaveLength(2);
    const bodies = await Promise.all(sent.map((r) => r.json() as Promise<{ idempotencyKey: string }>));
    expect(bodies[0]!.idempotencyKey).toBeTruthy();
    expect(bodies[1]!.idempotencyKey).toBe(bodies[0]!.idempotencyKey);
    expect(sent[0]!.headers.get("authorization")).toBe("Bearer k");
    expect(sent[0]!.url).toBe("http://edgeq.test/api/v1/jobs");
  });

  it("stops retrying after maxRetries and throws the API's error", async () => {
    const limited = () => json({ error: { code: "rate_limited", message: "slow down", details: { limit: 1 } } }, 429, { "retry-after": "0", "x-request-id": "r1" });
    const { fetch, sent } = scripted([limited(), limited(), limited()]);
    const error = await new EdgeqClient({ url: "http://edgeq.test", key: "k", fetch, maxRetries: 2 }).get("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgeqError);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", details: { limit: 1 }, requestId: "r1" });
    expect(sent).toHaveLength(3);
  });

  it("turns an unreachable server into a network_error", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    const error = await new EdgeqClient({ url: "http://edgeq.test", key: "k", fetch }).get("x").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: "network_error" });
  });
});
