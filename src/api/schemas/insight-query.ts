import { z } from "zod";
import { FAILURE_CATEGORIES, SUGGESTED_ACTIONS } from "../../insights/verdict";
import { isoTimeSchema, jobIdSchema, limitSchema, queueNameSchema } from "./common";
import { cursorSchema } from "./list-query";

/** `GET /api/v1/insights` query. */
export const listInsightsQuerySchema = z.strictObject({
  queue: queueNameSchema.optional(),
  type: z.string().min(1).max(200).optional(),
  job_id: jobIdSchema.optional(),
  category: z.enum(FAILURE_CATEGORIES).optional(),
  action: z.enum(SUGGESTED_ACTIONS).optional(),
  source: z.enum(["builtin", "workers-ai"]).optional(),
  since: isoTimeSchema.transform((s) => new Date(s)).optional(),
  until: isoTimeSchema.transform((s) => new Date(s)).optional(),
  limit: limitSchema(500, 50),
  cursor: cursorSchema.optional(),
});

/** `POST /api/v1/insights/analyze`. */
export const analyzeBodySchema = z.strictObject({ job_id: jobIdSchema });
