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

/** The state rolled to the window holding `now`, and how much of the limit is used at `now`. */
function roll(state: WindowState | undefined, now: number, windowMs: number): { s: WindowState; used: number } {
  const windowStart = now - (now % windowMs);
  let s: WindowState = state ?? { windowStart, current: 0, previous: 0 };
  if (s.windowStart !== windowStart) {
    s = { windowStart, current: 0, previous: s.windowStart === windowStart - windowMs ? s.current : 0 };
  }
  const overlap = 1 - (now - windowStart) / windowMs;
  return { s, used: s.previous * overlap + s.current };
}

/** When one more fits, for a window that is full at `now`. */
function nextRoom(s: WindowState, now: number, limit: number, windowMs: number): number {
  // The previous window's weight falls over time; without it (or at the next window) there is room.
  const room = s.previous > 0 && s.current + 1 <= limit ? s.windowStart + windowMs * (1 - (limit - s.current - 1) / s.previous) : s.windowStart + windowMs;
  return Math.ceil(Math.max(room, now + 1));
}

/** Takes `count` requests' worth at once (all or none), so a caller may hold a few permits ahead. */
export function slidingWindow(state: WindowState | undefined, now: number, limit: number, windowMs: number, count = 1): WindowVerdict {
  const { s, used } = roll(state, now, windowMs);
  if (used + count > limit) return { state: s, success: false, limit, remaining: 0, reset: nextRoom(s, now, limit, windowMs) };
  const next = { ...s, current: s.current + count };
  return { state: next, success: true, limit, remaining: Math.max(0, Math.floor(limit - used - count)), reset: s.windowStart + windowMs };
}

/**
 * Takes up to `wanted` at once (a scheduler dispatching several jobs of one key): as many as fit,
 * counted in one step. `reset` is when more will fit, if fewer than wanted did.
 */
export function slidingWindowTake(state: WindowState | undefined, now: number, limit: number, windowMs: number, wanted: number): { state: WindowState; granted: number; reset: number } {
  const { s, used } = roll(state, now, windowMs);
  const granted = Math.max(0, Math.min(wanted, Math.floor(limit - used)));
  const next = { ...s, current: s.current + granted };
  return { state: next, granted, reset: granted < wanted ? nextRoom(next, now, limit, windowMs) : s.windowStart + windowMs };
}
