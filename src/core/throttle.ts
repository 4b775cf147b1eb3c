/**
 * A leading-and-trailing throttle's decision for one call: go now when the last publish is at least
 * `everyMs` old; otherwise go at the interval's end (one trailer, however many calls come meanwhile),
 * so the last state always gets out and no more than one publish happens per interval.
 */
export function throttle(lastAt: number, now: number, everyMs: number, trailerPending: boolean): { now: true } | { now: false; trailerInMs: number | null } {
  const wait = lastAt + everyMs - now;
  if (wait <= 0) return { now: true };
  return { now: false, trailerInMs: trailerPending ? null : wait };
}
