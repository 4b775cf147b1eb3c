/**
 * Permits an isolate takes from the shared limiter ahead of need, so a busy isolate asks the
 * limiter once per block instead of once per request. A block starts at one permit and doubles
 * each time one is used up while still fresh, up to a hundredth of the limit (at most 100): a
 * limit under 200 is therefore asked on every request, exactly as without blocks, and an isolate
 * that goes quiet holds back at most one block for at most BLOCK_TTL_MS.
 */
export interface PermitBlock {
  /** Permits of this block not yet used. */
  left: number;
  /** What the limiter said remained after granting the block. */
  remaining: number;
  /** The limiter's window end (epoch ms), for the RateLimit-Reset header. */
  reset: number;
  size: number;
  expiresAt: number;
}

/** A block is used for at most this long: permits age out rather than linger. */
export const BLOCK_TTL_MS = 1000;

export function blockCap(limit: number): number {
  return Math.max(1, Math.min(100, Math.floor(limit / 100)));
}

/** One permit from a fresh block with some left; null when the limiter must be asked. */
export function takeFromBlock(block: PermitBlock | undefined, now: number): { remaining: number; reset: number } | null {
  if (!block || block.left === 0 || now >= block.expiresAt) return null;
  block.left -= 1;
  return { remaining: block.remaining + block.left, reset: block.reset };
}

/**
 * How many permits to ask for next: double a block used up while fresh, else start again at one;
 * never more than the limiter last said remained, since Upstash counts a refused block all the same.
 */
export function nextBlockSize(previous: PermitBlock | undefined, now: number, cap: number): number {
  if (!previous || previous.left > 0 || now >= previous.expiresAt) return 1;
  return Math.max(1, Math.min(cap, previous.size * 2, previous.remaining));
}

/** The block the limiter granted, with the permit the current request uses already taken. */
export function grantedBlock(size: number, remaining: number, reset: number, now: number): PermitBlock {
  return { left: size - 1, remaining, reset, size, expiresAt: Math.min(now + BLOCK_TTL_MS, reset) };
}
