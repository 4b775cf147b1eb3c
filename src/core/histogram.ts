/**
 * Fixed histogram buckets for run times and latencies, in ms. Bucket i counts values in
 * (BOUNDS[i-1], BOUNDS[i]]; the last bucket, past the final bound, counts the rest.
 */
export const BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000] as const;
export const BUCKET_COUNT = BOUNDS_MS.length + 1;

/** Completions are counted by attempt number up to this; the last slot holds every later attempt. */
export const ATTEMPT_SLOTS = 10;

export function bucketIndex(valueMs: number): number {
  const i = BOUNDS_MS.findIndex((b) => valueMs <= b);
  return i === -1 ? BOUNDS_MS.length : i;
}

/** Element-wise sum; a missing (null) histogram counts as empty. */
export function addHistograms(a: readonly number[] | null, b: readonly number[] | null): number[] {
  const out = new Array<number>(Math.max(a?.length ?? 0, b?.length ?? 0)).fill(0);
  for (let i = 0; i < out.length; i++) out[i] = (a?.[i] ?? 0) + (b?.[i] ?? 0);
  return out;
}

export const total = (buckets: readonly number[]) => buckets.reduce((s, n) => s + n, 0);

/** The lower and upper edge of bucket i; the open last bucket is taken to end at twice its start. */
function edges(i: number): [number, number] {
  const low = i === 0 ? 0 : BOUNDS_MS[i - 1]!;
  return [low, BOUNDS_MS[i] ?? low * 2];
}

/** The q-quantile (0–1), interpolated linearly inside its bucket; null for an empty histogram. */
export function quantile(buckets: readonly number[], q: number): number | null {
  const n = total(buckets);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const [low, high] = edges(i);
      return low + ((rank - seen) / count) * (high - low);
    }
    seen += count;
  }
  return edges(buckets.length - 1)[1];
}

/** The share of values at most `limitMs`, interpolated inside the bucket that holds the limit. */
export function shareAtMost(buckets: readonly number[], limitMs: number): number | null {
  const n = total(buckets);
  if (n === 0) return null;
  let within = 0;
  for (let i = 0; i < buckets.length; i++) {
    const [low, high] = edges(i);
    const count = buckets[i] ?? 0;
    if (limitMs >= high) within += count;
    else if (limitMs > low) within += (count * (limitMs - low)) / (high - low);
  }
  return within / n;
}
