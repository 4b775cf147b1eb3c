import { z } from "zod";

/** At most `limit` dispatches in any `periodMs` of time. */
export const ratePolicySchema = z.strictObject({
  limit: z.number().int().min(1).max(1_000_000),
  periodMs: z.number().int().min(1).max(86_400_000),
});
export type RatePolicy = z.infer<typeof ratePolicySchema>;

/** Dispatches recorded at one moment (epoch ms). */
export interface Dispatches {
  at: number;
  n: number;
}

/**
 * How many more may go at `now` under a sliding log of past dispatches: exact, so no window of
 * `periodMs` ever holds more than `limit`. A dispatch at `at` counts until `at + periodMs`.
 * `resetAt` is when the next one may go, when none may now. Entries after `now` (a clock that
 * went back) count in full, which only errs on the side of the limit.
 */
export function rateAllowance(log: readonly Dispatches[], now: number, policy: RatePolicy): { allowed: number; resetAt: number | null } {
  const live = log.filter((d) => d.at > now - policy.periodMs).sort((a, b) => a.at - b.at);
  const used = live.reduce((sum, d) => sum + d.n, 0);
  if (used < policy.limit) return { allowed: policy.limit - used, resetAt: null };
  // Room for one more opens when enough of the oldest dispatches have aged out.
  let freed = 0;
  for (const d of live) {
    freed += d.n;
    if (used - freed < policy.limit) return { allowed: 0, resetAt: d.at + policy.periodMs };
  }
  return { allowed: 0, resetAt: now + policy.periodMs };
}
