import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../env";
import type { Limiter, LimitPolicy } from "./limiter";

/** Limiters by policy, so Upstash's script caching and ephemeral cache last across requests. */
const upstash = new Map<string, Ratelimit>();

function upstashLimiter(env: Env, prefix: string): Limiter {
  // Few, quick retries: a slow limiter must not hold requests up (on failure the request goes through).
  const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN!, retry: { retries: 2, backoff: () => 50 } });
  return {
    async limit(identifier: string, policy: LimitPolicy) {
      const key = `${env.UPSTASH_REDIS_REST_URL}|${prefix}|${policy.limit}/${policy.windowMs}`;
      let limiter = upstash.get(key);
      if (!limiter) {
        limiter = new Ratelimit({ redis, prefix, limiter: Ratelimit.slidingWindow(policy.limit, `${policy.windowMs} ms`), analytics: false });
        upstash.set(key, limiter);
      }
      const { success, limit, remaining, reset } = await limiter.limit(identifier);
      return { success, limit, remaining, reset };
    },
  };
}

function durableObjectLimiter(env: Env, prefix: string): Limiter {
  return {
    limit: (identifier, policy) => env.RATE_LIMITER.getByName(`${prefix}:${identifier}`).limit(identifier, policy),
  };
}

/** Upstash Redis when it is configured, else the Durable Object limiter: the same answers either way. */
export function chooseLimiter(env: Env, prefix: string): Limiter {
  return env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN ? upstashLimiter(env, prefix) : durableObjectLimiter(env, prefix);
}
