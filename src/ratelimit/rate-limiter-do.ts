import { DurableObject } from "cloudflare:workers";
import { slidingWindow, type WindowState } from "../core/sliding-window";
import type { Env } from "../env";
import type { LimitPolicy, LimitVerdict } from "./limiter";

/**
 * The limiter when Upstash is not configured: one object per identifier, so its counts are exact
 * and serialised for free. Counts live in memory: an evicted object forgets at most one window.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly windows = new Map<string, WindowState>();

  async limit(identifier: string, policy: LimitPolicy, now: number = Date.now()): Promise<LimitVerdict> {
    const key = `${identifier}|${policy.limit}/${policy.windowMs}`;
    const { state, ...verdict } = slidingWindow(this.windows.get(key), now, policy.limit, policy.windowMs);
    this.windows.set(key, state);
    return verdict;
  }
}
