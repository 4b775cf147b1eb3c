/** The sizes of rollup buckets, smallest first. */
export const GRANULARITIES = ["minute", "hour", "day"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const GRANULARITY_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The start of the UTC bucket holding `time`. */
export function bucketStart(time: number, granularity: Granularity): number {
  return time - (((time % GRANULARITY_MS[granularity]) + GRANULARITY_MS[granularity]) % GRANULARITY_MS[granularity]);
}

/** The coarsest rollup whose buckets divide `stepMs`, so a step reads as few rows as it can. */
export function granularityForStep(stepMs: number): Granularity {
  for (const g of [...GRANULARITIES].reverse()) if (stepMs % GRANULARITY_MS[g] === 0) return g;
  throw new Error(`step ${stepMs} ms is not a whole number of minutes`);
}

/** The steps from `from` (aligned down to a step) up to `to`, exclusive. */
export function stepStarts(from: number, to: number, stepMs: number): number[] {
  const starts: number[] = [];
  for (let t = from - (from % stepMs); t < to; t += stepMs) starts.push(t);
  return starts;
}

/**
 * The rollup to sum over a window: fine enough that the buckets at its edges matter little, coarse
 * enough that a long window reads few rows.
 */
export function granularityForWindow(spanMs: number): Granularity {
  if (spanMs <= 6 * GRANULARITY_MS.hour) return "minute";
  if (spanMs <= 14 * GRANULARITY_MS.day) return "hour";
  return "day";
}
