import { z } from "zod";

export const JITTERS = ["full", "equal", "decorrelated", "none"] as const;

/** How long to wait before the next attempt. Defaults per queue, overridable per job. */
export const backoffSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("exponential"),
    baseMs: z.number().int().min(1).max(86_400_000).default(1000),
    capMs: z.number().int().min(1).max(7 * 86_400_000).default(3_600_000),
    jitter: z.enum(JITTERS).default("full"),
  }),
  z.object({
    type: z.literal("fixed"),
    delayMs: z.number().int().min(0).max(7 * 86_400_000),
    jitter: z.enum(JITTERS).default("none"),
  }),
  z.object({
    type: z.literal("custom"),
    /** Delay before attempt n+1 is delaysMs[n-1]; the last one repeats. */
    delaysMs: z.array(z.number().int().min(0).max(7 * 86_400_000)).min(1).max(100),
  }),
]);
export type Backoff = z.infer<typeof backoffSchema>;

/**
 * Delay in ms before the attempt after `attempt` (1-based: the attempt that just failed).
 * `previousMs` is the last delay used, which decorrelated jitter grows from.
 * `random` returns [0, 1); injected so tests can pin it.
 */
export function backoffDelay(backoff: Backoff, attempt: number, previousMs: number | null, random: () => number = Math.random): number {
  if (backoff.type === "custom") {
    return backoff.delaysMs[Math.min(attempt, backoff.delaysMs.length) - 1] ?? 0;
  }
  const base = backoff.type === "fixed" ? backoff.delayMs : backoff.baseMs;
  const cap = backoff.type === "fixed" ? backoff.delayMs : backoff.capMs;
  // 2^attempt overflows long before the cap matters; clamp the exponent.
  const raw = backoff.type === "fixed" ? base : Math.min(cap, base * 2 ** Math.min(attempt - 1, 40));
  switch (backoff.jitter) {
    case "none":
      return raw;
    case "full":
      return Math.floor(random() * raw);
    case "equal":
      return Math.floor(raw / 2 + random() * (raw / 2));
    case "decorrelated": {
      // AWS "decorrelated jitter": grows from the previous delay, never below base, never above cap.
      const upper = Math.max(base, (previousMs ?? base) * 3);
      return Math.min(Math.max(cap, base), Math.floor(base + random() * (upper - base)));
    }
  }
}
