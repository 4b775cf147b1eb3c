import { DurableObject } from "cloudflare:workers";
import { slidingWindow, slidingWindowTake, type WindowState } from "../core/sliding-window";
import type { Env } from "../env";
import type { LimitPolicy, LimitVerdict, TakeVerdict } from "./limiter";

/**
 * The limiter when Upstash is not configured: one object per identifier, so its counts are exact
 * and serialised for free. Counts live in memory: an evicted object forgets at most one window.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly windows = new Map<string, WindowState>();

  async limit(identifier: string, policy: LimitPolicy, count = 1, now: number = Date.now()): Promise<LimitVerdict> {
    const key = this.key(identifier, policy);
    const { state, ...verdict } = slidingWindow(this.windows.get(key), now, policy.limit, policy.windowMs, count);
    this.windows.set(key, state);
    return verdict;
  }

  async take(identifier: string, policy: LimitPolicy, wanted: number, now: number = Date.now()): Promise<TakeVerdict> {
    const key = this.key(identifier, policy);
    const { state, ...verdict } = slidingWindowTake(this.windows.get(key), now, policy.limit, policy.windowMs, wanted);
    this.windows.set(key, state);
    return verdict;
  }

  private key(identifier: string, policy: LimitPolicy): string {
    return `${identifier}|${policy.limit}/${policy.windowMs}`;
  }
}
