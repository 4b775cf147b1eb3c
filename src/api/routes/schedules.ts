import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Db } from "../../db/client";
import { deleteSchedule, getSchedule, insertSchedule, listSchedules, recordManualRun, updateSchedule, type NewSchedule } from "../../db/queries/schedules";
import type { ScheduleRow } from "../../db/schema";
import { submitJobs } from "../../jobs/submit";
import { firstFireAt, localTime, upcomingFires } from "../../schedules/timing";
import type { AppEnv } from "../app-env";
import type { Context } from "hono";
import { assertQueueUsable } from "../tenant-guard";
import { actorOf, tenantOf } from "../auth";
import { ApiError, notFound, validationError } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentSchedule } from "../present";
import { fromTemplate } from "../schemas/job-input";
import { submittedSchema, schedulePreviewSchema, scheduleSchema } from "../schemas/responses";
import { previewQuerySchema, scheduleInputSchema, scheduleUpdateSchema, type ScheduleInput } from "../schemas/schedule-input";
import { presentSubmitted, SINGLE_BODY_LIMIT } from "./jobs";

const nameTaken = (name: string) => new ApiError(409, "schedule_exists", `a schedule named ${name} exists already`, { name });

const startOf = (input: ScheduleInput) => (input.startAt === null ? null : new Date(input.startAt));

function toRow(input: ScheduleInput, nextRunAt: Date | null): Omit<NewSchedule, "tenantId"> {
  return { ...input, startAt: startOf(input), nextRunAt };
}

/** The stored schedule as input again, so a `PUT` can merge into it and validate the whole. */
function toInput(s: ScheduleRow): ScheduleInput {
  const { name, cron, timezone, job, enabled, misfirePolicy, misfireLimit, overlapPolicy } = s;
  return { name, cron, timezone, job, enabled, misfirePolicy, misfireLimit, overlapPolicy, startAt: s.startAt?.toISOString() ?? null };
}

/** Stores a new schedule, its first fire counted from now; 409 when the name is taken. */
export async function createSchedule(c: Context<AppEnv>, input: ScheduleInput) {
  await assertQueueUsable(c, input.job.queue);
  const row = await insertSchedule(c.var.db, { ...toRow(input, firstFireAt({ ...input, startAt: startOf(input) }, Date.now())), tenantId: tenantOf(c) });
  if (!row) throw nameTaken(input.name);
  return presentSchedule(row, null);
}

async function mustGet(c: Context<AppEnv>, id: string) {
  const found = await getSchedule(c.var.db, id, tenantOf(c));
  if (!found) throw notFound("schedule", id);
  return found;
}

/** Applies changes; a new timing (or a resume) counts the next fire from now, so a pause is not a misfire. */
async function change(c: Context<AppEnv>, id: string, patch: z.output<typeof scheduleUpdateSchema>) {
  const { schedule: current, lastJobState } = await mustGet(c, id);
  const parsed = scheduleInputSchema.safeParse({ ...toInput(current), ...patch });
  if (!parsed.success) throw validationError(parsed.error, "request body");
  const next = parsed.data;
  if (next.job.queue !== current.job.queue) await assertQueueUsable(c, next.job.queue);
  const startAt = startOf(next);
  const retimed =
    next.cron !== current.cron || next.timezone !== current.timezone || startAt?.getTime() !== current.startAt?.getTime() || (next.enabled && !current.enabled);
  const updated = await updateSchedule(c.var.db, id, toRow(next, retimed ? firstFireAt({ ...next, startAt }, Date.now()) : current.nextRunAt), new Date());
  if (updated === "name_taken") throw nameTaken(next.name);
  if (!updated) throw notFound("schedule", id);
  return presentSchedule(updated, lastJobState);
}

const tags = ["schedules"];
const idParams = z.object({ id: z.uuid("schedule ids are UUIDs") });

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a recurring job",
  ...access("producer", SINGLE_BODY_LIMIT),
  request: { body: jsonRequest(scheduleInputSchema) },
  responses: { 201: jsonResponse(scheduleSchema, "The schedule."), ...errors(400, 409, 413, 415) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every schedule, by name",
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ schedules: z.array(scheduleSchema) }), "The schedules."), ...errors() },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A schedule with its last and next fire and its last job",
  ...access("read"),
  request: { params: idParams },
  responses: { 200: jsonResponse(scheduleSchema, "The schedule."), ...errors(400, 404) },
});

const put = createRoute({
  method: "put",
  path: "/{id}",
  tags,
  summary: "Change any of a schedule's fields (a new timing counts from now)",
  ...access("admin", SINGLE_BODY_LIMIT),
  request: { params: idParams, body: jsonRequest(scheduleUpdateSchema) },
  responses: { 200: jsonResponse(scheduleSchema, "The schedule as it now is."), ...errors(400, 404, 409, 413, 415) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a schedule (its jobs stay)",
  ...access("admin"),
  request: { params: idParams },
  responses: { 200: jsonResponse(z.object({ deleted: z.literal(true), id: z.uuid() }), "Deleted."), ...errors(400, 404) },
});

const preview = createRoute({
  method: "get",
  path: "/{id}/next",
  tags,
  summary: "The schedule's next fire times",
  ...access("read"),
  request: { params: idParams, query: previewQuerySchema },
  responses: { 200: jsonResponse(schedulePreviewSchema, "Fire times, in UTC and on the zone's wall clock."), ...errors(400, 404) },
});

const trigger = createRoute({
  method: "post",
  path: "/{id}/trigger",
  tags,
  summary: "Run the schedule's job now",
  ...access("producer"),
  request: { params: idParams },
  responses: { 201: jsonResponse(z.object({ job: submittedSchema, schedule: scheduleSchema }), "The job, and the schedule."), ...errors(400, 404) },
});

const toggle = (action: "pause" | "resume") =>
  createRoute({
    method: "post",
    path: `/{id}/${action}`,
    tags,
    summary: action === "pause" ? "Stop firing" : "Fire again, counting from now",
    ...access("admin"),
    request: { params: idParams },
    responses: { 200: jsonResponse(scheduleSchema, "The schedule as it now is."), ...errors(400, 404) },
  });

/** Recurring jobs: `/api/v1/schedules`. */
export const scheduleRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createSchedule(c, c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json({ schedules: (await listSchedules(c.var.db, tenantOf(c))).map((v) => presentSchedule(v.schedule, v.lastJobState)) }, 200))
  .openapi(get, async (c) => {
    const { schedule, lastJobState } = await mustGet(c, c.req.valid("param").id);
    return c.json(presentSchedule(schedule, lastJobState), 200);
  })
  .openapi(put, async (c) => c.json(await change(c, c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deleteSchedule(c.var.db, id, tenantOf(c)))) throw notFound("schedule", id);
    return c.json({ deleted: true as const, id }, 200);
  })
  .openapi(preview, async (c) => {
    const { id } = c.req.valid("param");
    const { schedule } = await mustGet(c, id);
    const fires = upcomingFires(schedule, Date.now(), c.req.valid("query").count);
    return c.json({ id, timezone: schedule.timezone, next: fires.map((at) => ({ at: new Date(at).toISOString(), local: localTime(at, schedule.timezone) })) }, 200);
  })
  .openapi(trigger, async (c) => {
    const { id } = c.req.valid("param");
    const { schedule } = await mustGet(c, id);
    const now = new Date();
    const [submitted] = await submitJobs(c.env, c.var.db, [{ ...fromTemplate(schedule.job, null), tenant: schedule.tenantId }], now, actorOf(c));
    await recordManualRun(c.var.db, id, submitted!.job.id, now);
    const after = await mustGet(c, id);
    return c.json({ job: presentSubmitted(submitted!), schedule: presentSchedule(after.schedule, after.lastJobState) }, 201);
  })
  .openapi(toggle("pause"), async (c) => c.json(await change(c, c.req.valid("param").id, { enabled: false }), 200))
  .openapi(toggle("resume"), async (c) => c.json(await change(c, c.req.valid("param").id, { enabled: true }), 200));

/** The route definitions, whose schemas give the typed client its types. */
export type ScheduleRouteDefs = {
  create: typeof create;
  list: typeof list;
  get: typeof get;
  put: typeof put;
  remove: typeof remove;
  preview: typeof preview;
  trigger: typeof trigger;
  toggle: ReturnType<typeof toggle>;
};
