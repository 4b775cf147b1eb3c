import { z } from "@hono/zod-openapi";
import { parseDuration } from "../../core/duration";
import { GRANULARITY_MS } from "../../core/time-buckets";
import { isoTimeSchema, limitSchema, queueNameSchema } from "./common";

const DAY = GRANULARITY_MS.day;
/** The longest window any analytics read takes. */
const MAX_WINDOW_MS = 400 * DAY;
const MAX_STEPS = 2000;

const stepSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms < GRANULARITY_MS.minute || ms % GRANULARITY_MS.minute !== 0) {
    ctx.addIssue({ code: "custom", message: 'step must be whole minutes, like "1m", "15m", "1h" or "1d"' });
    return z.NEVER;
  }
  return ms;
});

const windowFields = {
  from: isoTimeSchema.optional().openapi({ description: "Start of the window (default: 24 hours before `to`)." }),
  to: isoTimeSchema.optional().openapi({ description: "End of the window, exclusive (default: now)." }),
  queue: queueNameSchema.optional(),
  type: z.string().min(1).max(200).optional(),
};

/** Resolves the window's defaults and checks its order and length. */
function resolveWindow<T extends { from?: string; to?: string }>(q: T, ctx: z.RefinementCtx) {
  const to = q.to ? Date.parse(q.to) : Date.now();
  const from = q.from ? Date.parse(q.from) : to - DAY;
  if (from >= to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
  if (to - from > MAX_WINDOW_MS) ctx.addIssue({ code: "custom", path: ["from"], message: `a window spans at most ${MAX_WINDOW_MS / DAY} days` });
  return { ...q, from: new Date(from), to: new Date(to) };
}

export const windowQuerySchema = z.strictObject(windowFields).transform(resolveWindow);

export const throughputQuerySchema = z
  .strictObject({ ...windowFields, step: stepSchema.optional().openapi({ type: "string", description: 'Step of the series, e.g. "1m", "1h" (default "1h").' }) })
  .transform((q, ctx) => {
    const w = resolveWindow(q, ctx);
    const step = q.step ?? GRANULARITY_MS.hour;
    if ((w.to.getTime() - w.from.getTime()) / step > MAX_STEPS) ctx.addIssue({ code: "custom", path: ["step"], message: `at most ${MAX_STEPS} steps; use a longer step` });
    return { ...w, step };
  });

export const slaQuerySchema = z
  .strictObject({ ...windowFields, targetMs: z.coerce.number().int().min(1).max(30 * DAY).openapi({ description: "The latency target, submit to completion." }) })
  .transform(resolveWindow);

export const byHourQuerySchema = z
  .strictObject({
    ...windowFields,
    tz: z
      .string()
      .default("UTC")
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, "tz must be an IANA time zone such as Europe/Berlin"),
  })
  .transform(resolveWindow);

export const listWindowQuerySchema = z.strictObject({ ...windowFields, limit: limitSchema(1000, 200) }).transform(resolveWindow);

const price = z.coerce.number().min(0).optional();

/** A window and, optionally, unit prices that replace the configured ones. */
export const costQuerySchema = z
  .strictObject({
    ...windowFields,
    workersRequestsPerMillion: price,
    workersCpuMsPerMillion: price,
    queueOperationsPerMillion: price,
    durableObjectRequestsPerMillion: price,
    databaseComputeUnitHour: price,
  })
  .transform(resolveWindow);

export const forecastQuerySchema = z.strictObject({
  queue: queueNameSchema.optional(),
  days: z.coerce.number().int().min(1).max(90).default(30).openapi({ description: "UTC days to list, starting with today's hours still to come (the totals for the next 7 and 30 days are always given)." }),
  targetLatencyMs: z.coerce.number().int().min(1).max(86_400_000).default(60_000).openapi({ description: "The latency (wait + run) each queue should meet at its forecast peak." }),
});
