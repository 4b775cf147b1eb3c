import { describe, it } from "vitest";
import { checkIngressLimit } from "../helpers/ingress-limit";

describe("ingress limits through the Durable Object limiter (no Upstash configured)", () => {
  it("limits requests per key with RateLimit headers and a 429 with Retry-After", checkIngressLimit);
});
