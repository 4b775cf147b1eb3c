import { z } from "zod";

/** Named priorities accepted wherever a number 0–10 is (higher runs first). */
export const PRIORITY_NAMES = { critical: 10, high: 8, default: 5, medium: 5, low: 2 } as const;
export const DEFAULT_PRIORITY = PRIORITY_NAMES.default;

export const prioritySchema = z
  .union([
    z.number().int().min(0).max(10),
    z.enum(Object.keys(PRIORITY_NAMES) as [keyof typeof PRIORITY_NAMES, ...(keyof typeof PRIORITY_NAMES)[]]),
  ])
  .transform((p) => (typeof p === "number" ? p : PRIORITY_NAMES[p]));
