import { z } from "@hono/zod-openapi";
import { JOB_EVENT_KINDS } from "../../core/job-events";
import { isoTimeSchema, limitSchema, queueNameSchema } from "./common";

/** What the audit-trail routes answer with. */
export const jobEventSchema = z
  .object({
    id: z.string().openapi({ description: "Increases with every event written." }),
    jobId: z.uuid(),
    queue: z.string(),
    type: z.string(),
    at: z.string().openapi({ format: "date-time" }),
    kind: z.enum(JOB_EVENT_KINDS),
    attempt: z.number().int(),
    actor: z.string().openapi({ description: "`key:<name>` for an API key, a runner (`worker:…`) or pull worker id, `schedules`, or `edgeq` itself." }),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("JobEvent");

export const jobEventsSchema = z.object({ events: z.array(jobEventSchema) }).openapi("JobEvents");
export const eventLogPageSchema = z.object({ events: z.array(jobEventSchema), nextCursor: z.string().nullable() }).openapi("EventLogPage");

/** Opaque log cursors: base64url of "at|id". */
export function encodeEventCursor(at: Date, id: number): string {
  return btoa(`${at.toISOString()}|${id}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

const eventCursorSchema = z.string().transform((text, ctx) => {
  try {
    const [time, id] = atob(text.replaceAll("-", "+").replaceAll("_", "/")).split("|");
    const at = new Date(time ?? "");
    if (!Number.isNaN(at.getTime()) && /^\d+$/.test(id ?? "")) return { at, id: Number(id) };
  } catch {
    // fall through to the issue below
  }
  ctx.addIssue({ code: "custom", message: "cursor is not one this API returned" });
  return z.NEVER;
});

export const eventLogQuerySchema = z.strictObject({
  queue: queueNameSchema.optional(),
  type: z.string().min(1).max(200).optional(),
  kind: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(JOB_EVENT_KINDS)).min(1))
    .optional()
    .openapi({ type: "string", description: `One or more of ${JOB_EVENT_KINDS.join(", ")}, comma-separated.` }),
  actor: z.string().min(1).max(200).optional(),
  since: isoTimeSchema.transform((s) => new Date(s)).optional(),
  until: isoTimeSchema.transform((s) => new Date(s)).optional(),
  limit: limitSchema(1000, 100),
  cursor: eventCursorSchema.optional(),
  format: z.enum(["json", "ndjson"]).default("json").openapi({ description: "`ndjson`: the page as newline-delimited JSON, for export." }),
});
