/**
 * A sliding-window counter, the algorithm @upstash/ratelimit's slidingWindow uses: the count of the
 * current fixed window plus the previous window's count weighted by how much of it still overlaps
 * the sliding window. Two numbers per key, no list of timestamps, and no burst at window edges.
 */
export interface WindowState {
  windowStart: number;
  current: number;
  previous: number;
}

export interface WindowVerdict {
  state: WindowState;
  success: boolean;
  limit: number;
  remaining: number;
  /** When the next request would be allowed (epoch ms) if this one was refused; else the window's end. */
  reset: number;
}

export function slidingWindow(state: WindowState | undefined, now: number, limit: number, windowMs: number): WindowVerdict {
  const windowStart = now - (now % windowMs);
  let s: WindowState = state ?? { windowStart, current: 0, previous: 0 };
  if (s.windowStart !== windowStart) {
    s = { windowStart, current: 0, previous: s.windowStart === windowStart - windowMs ? s.current : 0 };
  }
  const overlap = 1 - (now - windowStart) / windowMs;
  const used = s.previous * overlap + s.current;
  if (used + 1 > limit) {
    // The previous window's weight falls over time; without it (or at the next window) there is room.
    const room = s.previous > 0 && s.current + 1 <= limit ? windowStart + windowMs * (1 - (limit - s.current - 1) / s.previous) : windowStart + windowMs;
    return { state: s, success: false, limit, remaining: 0, reset: Math.ceil(Math.max(room, now + 1)) };
  }
  const next = { ...s, current: s.current + 1 };
  return { state: next, success: true, limit, remaining: Math.max(0, Math.floor(limit - used - 1)), reset: windowStart + windowMs };
}
