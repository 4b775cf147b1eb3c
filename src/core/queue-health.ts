export type HealthColour = "green" | "yellow" | "red";

export interface HealthInput {
  completedToday: number;
  failedToday: number;
  /** Age of the oldest job ready to run, in ms (null when none waits). */
  oldestReadyMs: number | null;
  paused: boolean;
}

/** Red: most attempts fail or work has waited over 15 minutes; yellow: 5% failing, 1 minute waiting or paused. */
export function queueHealth(h: HealthInput): HealthColour {
  const attempts = h.completedToday + h.failedToday;
  const failureRate = attempts === 0 ? 0 : h.failedToday / attempts;
  const waited = h.oldestReadyMs ?? 0;
  if (failureRate >= 0.5 || waited >= 15 * 60_000) return "red";
  if (failureRate >= 0.05 || waited >= 60_000 || h.paused) return "yellow";
  return "green";
}
