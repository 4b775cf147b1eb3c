import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkSharedKeyLimit } from "../helpers/shared-rate-limit";

describe("shared rate-limit keys through @upstash/ratelimit (Upstash's protocol over the machine's Redis)", () => {
  it("runs with Upstash configured", () => {
    expect(env.UPSTASH_REDIS_REST_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("limits jobs across queues; the refused ones wait, queued, with no attempt made", checkSharedKeyLimit);
});
