import { parseDuration } from "../core/duration";
import type { LimitPolicy } from "./limiter";

/** The ingress limit per API key unless the key or EDGEQ_RATE_LIMIT says otherwise. */
export const DEFAULT_INGRESS_POLICY: LimitPolicy = { limit: 50_000, windowMs: 60_000 };

/** "100/10s", "6000/1m": requests per window; "off" turns limiting off (null). Throws on anything else. */
export function parsePolicy(text: string): LimitPolicy | null {
  if (text.trim() === "off") return null;
  const [count, window] = text.split("/");
  const limit = Number(count);
  const windowMs = parseDuration(window ?? "");
  if (!Number.isInteger(limit) || limit < 1 || windowMs === null || windowMs < 1000) {
    throw new Error(`EDGEQ_RATE_LIMIT must look like "100/10s" or be "off", not "${text}"`);
  }
  return { limit, windowMs };
}

/** IETF RateLimit headers (draft 7), and Retry-After when refused. */
export function rateLimitHeaders(v: { success: boolean; limit: number; remaining: number; reset: number }, policy: LimitPolicy, now: number): Record<string, string> {
  const resetSeconds = Math.max(0, Math.ceil((v.reset - now) / 1000));
  return {
    "RateLimit-Limit": String(v.limit),
    "RateLimit-Remaining": String(v.remaining),
    "RateLimit-Reset": String(resetSeconds),
    "RateLimit-Policy": `${policy.limit};w=${Math.round(policy.windowMs / 1000)}`,
    ...(v.success ? {} : { "Retry-After": String(Math.max(1, resetSeconds)) }),
  };
}
