import { z } from "zod";
import { checkCron, CronSchedule, isValidTimeZone } from "../../core/cron";
import { MISFIRE_POLICIES, OVERLAP_POLICIES } from "../../core/schedule-plan";
import { isoTimeSchema, queueNameSchema } from "./common";
import { jobTemplateSchema, jobTypeSchema } from "./job-input";

export const MAX_MISFIRE_LIMIT = 1000;

export const scheduleNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "schedule names are 1–128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"; use an IANA name such as UTC, Europe/Berlin or America/New_York` });

const fields = {
  name: scheduleNameSchema,
  /** 5 fields, or 6 with seconds first. */
  cron: z.string().min(1).max(200),
  timezone: timeZoneSchema,
  job: jobTemplateSchema,
  enabled: z.boolean(),
  misfirePolicy: z.enum(MISFIRE_POLICIES),
  /** How many missed fires `run_all` runs at most (the latest ones). */
  misfireLimit: z.number().int().min(1).max(MAX_MISFIRE_LIMIT),
  overlapPolicy: z.enum(OVERLAP_POLICIES),
  /** No fire before this time. */
  startAt: isoTimeSchema.nullable(),
};

/** Adds the issues of an expression (at `path`) that is malformed, or that never fires in its zone. */
function checkExpression(path: string, expression: string, zone: string, ctx: z.RefinementCtx): void {
  const problem = checkCron(expression);
  if (problem) {
    ctx.addIssue({ code: "custom", path: [path], message: problem.message, params: { field: problem.field } });
    return;
  }
  if (isValidTimeZone(zone) && new CronSchedule(expression, zone).first(Date.now()) === null) {
    ctx.addIssue({ code: "custom", path: [path], message: `"${expression}" never fires in ${zone}` });
  }
}

/** `POST /api/v1/schedules`, and the whole schedule a `PUT` leaves after merging its fields. */
export const scheduleInputSchema = z
  .strictObject({
    ...fields,
    timezone: fields.timezone.default("UTC"),
    enabled: fields.enabled.default(true),
    misfirePolicy: fields.misfirePolicy.default("run_once"),
    misfireLimit: fields.misfireLimit.default(10),
    overlapPolicy: fields.overlapPolicy.default("allow"),
    startAt: fields.startAt.default(null),
  })
  .superRefine((input, ctx) => checkExpression("cron", input.cron, input.timezone, ctx));

export type ScheduleInput = z.output<typeof scheduleInputSchema>;

/** `PUT /api/v1/schedules/:id`: any of the fields; the merged schedule is validated as a whole. */
export const scheduleUpdateSchema = z.strictObject(fields).partial();

/** `POST /api/v1/scheduled-jobs`, the short form existing clients use. */
export const scheduledJobInputSchema = z
  .strictObject({
    name: scheduleNameSchema,
    queue: queueNameSchema.default("default"),
    jobType: jobTypeSchema,
    payload: z.unknown().optional(),
    schedule: z.string(),
    timezone: fields.timezone.default("UTC"),
  })
  .superRefine((input, ctx) => checkExpression("schedule", input.schedule, input.timezone, ctx))
  .transform(({ name, queue, jobType, payload, schedule, timezone }) => ({ name, cron: schedule, timezone, job: { queue, type: jobType, payload } }));

/** `GET /api/v1/schedules/:id/next`. */
export const previewQuerySchema = z.strictObject({ count: z.coerce.number().int().min(1).max(100).default(5) });
