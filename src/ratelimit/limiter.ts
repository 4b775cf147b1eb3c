/** What a limiter answers, in @upstash/ratelimit's shape, whichever implementation served it. */
export interface LimitVerdict {
  success: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets (or, refused, when to try again). */
  reset: number;
}

/** A limit of `limit` requests per `windowMs`, per identifier. */
export interface LimitPolicy {
  limit: number;
  windowMs: number;
}

/** How many of a wanted number were granted, and when more may be (epoch ms) if not all were. */
export interface TakeVerdict {
  granted: number;
  reset: number;
}

export interface Limiter {
  /** Takes `count` permits (default 1), all or none. */
  limit(identifier: string, policy: LimitPolicy, count?: number): Promise<LimitVerdict>;
  /** Takes up to `wanted` units at once; `now` drives the Durable Object's clock in tests (Upstash keeps its own). */
  take(identifier: string, policy: LimitPolicy, wanted: number, now?: number): Promise<TakeVerdict>;
}
