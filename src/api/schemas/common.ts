import { z } from "zod";
import { JOB_STATES } from "../../core/states";

/** Queue names go into URLs and Durable Object names: keep them plain. */
export const queueNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "queue names are 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const jobIdSchema = z.uuid("job ids are UUIDs");

/** Rate-limit keys go into URLs and limiter names: plain, like queue names, with ':' allowed. */
export const rateLimitKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "rate-limit keys are 1–128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");

export const isoTimeSchema = z.iso.datetime({ offset: true, message: "expected an ISO 8601 time such as 2026-01-31T12:00:00Z" });

/** "queued" or "queued,running" in a query string. */
export const statesQuerySchema = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(JOB_STATES)).min(1));

export const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
