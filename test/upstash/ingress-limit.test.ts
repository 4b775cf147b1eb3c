import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkIngressLimit } from "../helpers/ingress-limit";

describe("ingress limits through @upstash/ratelimit (Upstash's protocol over the machine's Redis)", () => {
  it("runs with Upstash configured", () => {
    expect(env.UPSTASH_REDIS_REST_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("limits requests per key with RateLimit headers and a 429 with Retry-After", checkIngressLimit);
});
