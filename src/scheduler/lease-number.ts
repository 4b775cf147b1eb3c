/**
 * The next lease number: strictly above the last one, and at least the clock in microseconds, so
 * a scheduler whose storage was lost and rebuilt still issues leases newer than any in Postgres.
 */
export function nextLeaseNumber(last: number, nowMs: number): number {
  return Math.max(last + 1, Math.floor(nowMs) * 1000);
}

/** When a lease given at `now` expires: the job's own timeout plus the queue's visibility margin. */
export function leaseDeadline(now: number, timeoutMs: number, visibilityTimeoutMs: number): number {
  return now + timeoutMs + visibilityTimeoutMs;
}
