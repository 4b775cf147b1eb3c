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

export interface Limiter {
  limit(identifier: string, policy: LimitPolicy): Promise<LimitVerdict>;
}
