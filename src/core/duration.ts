import { z } from "zod";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** Parses "500ms", "30s", "5m", "2h", "1d" into milliseconds; null when it is not such a string. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/** A delay given as a number of seconds (what simpler queues accept) or a duration string; yields ms. */
export const delaySchema = z.union([
  z.number().min(0, "delay must not be negative").max(366 * 86_400, "delay is over a year").transform((s) => Math.round(s * 1000)),
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: 'delay must be seconds or a duration like "500ms", "30s", "5m"' });
      return z.NEVER;
    }
    return ms;
  }),
]);
