import { rateLimitResetMs } from "./analyzer";
import type { FailureCategory } from "./verdict";

/** How often jobs of one type recovered after failing with one category (from the attempt history). */
export interface RecoveryStat {
  /** Jobs that failed this way and then either completed or failed for good after at least one more attempt. */
  samples: number;
  /** Of those, the ones that completed. */
  recovered: number;
}

/** What the smart policy adds to the fixed decision for one failure. */
export interface RetryAdvice {
  /** History says this class does not recover: dead-letter now rather than burn the budget. */
  neverRecovers: boolean;
  /** A floor under the next delay: a rate limiter's reset. */
  waitMs: number | null;
}

export const SMART_POLICY = {
  /** Fewer samples than this and the class is given the benefit of the doubt. */
  minSamples: 20,
  /** At or below this recovery rate the class is dead-lettered at once. */
  maxRecoveryRate: 0.02,
  /** How long to wait out a rate limit that did not say when it resets. */
  defaultRateLimitWaitMs: 60_000,
} as const;

/**
 * The smart retry policy for one failure: wait out a rate limit until its reset, and dead-letter a
 * (job type, category) class whose recovery rate over enough samples is about zero. Classes it has
 * dead-lettered add no samples (they were not retried), so the verdict holds until the history
 * window forgets them and retries, and with them fresh samples, resume.
 */
export function smartAdvice(category: FailureCategory, message: string, stat: RecoveryStat | undefined, policy = SMART_POLICY): RetryAdvice {
  if (category === "rate_limited") return { neverRecovers: false, waitMs: rateLimitResetMs(message) ?? policy.defaultRateLimitWaitMs };
  const neverRecovers = stat !== undefined && stat.samples >= policy.minSamples && stat.recovered / stat.samples <= policy.maxRecoveryRate;
  return { neverRecovers, waitMs: null };
}
