import { z } from "zod";
import type { JobFilter } from "../../db/queries/job-filters";
import type { JobCursor } from "../../db/queries/list-jobs";
import { isoTimeSchema, jobIdSchema, limitSchema, queueNameSchema, statesQuerySchema } from "./common";

/** Opaque page cursors: base64url of "createdAt|id". */
export function encodeCursor(cursor: JobCursor): string {
  return btoa(`${cursor.createdAt.toISOString()}|${cursor.id}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export const cursorSchema = z.string().transform((text, ctx): JobCursor => {
  try {
    const [time, id] = atob(text.replaceAll("-", "+").replaceAll("_", "/")).split("|");
    const createdAt = new Date(time ?? "");
    if (!Number.isNaN(createdAt.getTime()) && jobIdSchema.safeParse(id).success) return { createdAt, id: id! };
  } catch {
    // fall through to the issue below
  }
  ctx.addIssue({ code: "custom", message: "cursor is not one this API returned" });
  return z.NEVER;
});

const listFilters = {
  queue: queueNameSchema.optional(),
  type: z.string().min(1).max(200).optional(),
  tag: z.string().min(1).max(100).optional(),
  since: isoTimeSchema.transform((s) => new Date(s)).optional(),
  until: isoTimeSchema.transform((s) => new Date(s)).optional(),
  error: z.string().min(1).max(200).optional(),
  limit: limitSchema(500, 50),
  cursor: cursorSchema.optional(),
};

/** `GET /api/v1/jobs` query. */
export const listJobsQuerySchema = z.strictObject({ ...listFilters, state: statesQuerySchema.optional() });

/** `GET /api/v1/dlq` query: the same filters, state fixed to dead. */
export const listDlqQuerySchema = z.strictObject(listFilters);

/** The API's filter names (`error` for the error text) as the query layer's filter. */
export function toJobFilter(
  q: { queue?: string; state?: JobFilter["states"]; type?: string; tag?: string; since?: Date; until?: Date; error?: string },
  tenant: JobFilter["tenant"],
): JobFilter {
  return { tenant, queue: q.queue, states: q.state, type: q.type, tag: q.tag, since: q.since, until: q.until, errorContains: q.error };
}
