import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../env";
import type { Limiter, LimitPolicy } from "./limiter";
import { withPermitBlocks } from "./permit-cache";

/** Limiters by policy, so Upstash's script caching and ephemeral cache last across requests. */
const upstash = new Map<string, Ratelimit>();

function upstashLimiter(env: Env, prefix: string): Limiter {
  // Few, quick retries: a slow limiter must not hold requests up (on failure the request goes through).
  const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN!, retry: { retries: 2, backoff: () => 50 } });
  const limiterFor = (policy: LimitPolicy) => {
    const key = `${env.UPSTASH_REDIS_REST_URL}|${prefix}|${policy.limit}/${policy.windowMs}`;
    let limiter = upstash.get(key);
    if (!limiter) {
      limiter = new Ratelimit({ redis, prefix, limiter: Ratelimit.slidingWindow(policy.limit, `${policy.windowMs} ms`), analytics: false });
      upstash.set(key, limiter);
    }
    return limiter;
  };
  return {
    async limit(identifier, policy, count = 1) {
      const { success, limit, remaining, reset } = await limiterFor(policy).limit(identifier, { rate: count });
      return { success, limit, remaining, reset };
    },
    async take(identifier, policy, wanted) {
      const limiter = limiterFor(policy);
      // Upstash refuses a `rate` that does not fit whole (and still counts it), so ask for what
      // is left. Another taker between the two calls can make the second fail: then nothing is
      // granted and the units stay spent until the window moves on, erring on the side of the limit.
      const { remaining, reset } = await limiter.getRemaining(identifier);
      const asked = Math.min(wanted, remaining);
      if (asked <= 0) return { granted: 0, reset };
      const verdict = await limiter.limit(identifier, { rate: asked });
      return { granted: verdict.success ? asked : 0, reset: verdict.reset };
    },
  };
}

function durableObjectLimiter(env: Env, prefix: string): Limiter {
  const stub = (identifier: string) => env.RATE_LIMITER.getByName(`${prefix}:${identifier}`);
  return {
    limit: (identifier, policy, count) => stub(identifier).limit(identifier, policy, count),
    take: (identifier, policy, wanted, now) => stub(identifier).take(identifier, policy, wanted, now),
  };
}

/**
 * Upstash Redis when it is configured, else the Durable Object limiter: the same answers either way,
 * requests served from permits the isolate took ahead, so a busy isolate does not make one call per request.
 */
export function chooseLimiter(env: Env, prefix: string): Limiter {
  const upstash = Boolean(env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN);
  return withPermitBlocks(upstash ? upstashLimiter(env, prefix) : durableObjectLimiter(env, prefix), `${upstash ? "upstash" : "do"}:${prefix}`);
}
