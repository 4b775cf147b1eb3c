import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getJob } from "../../db/queries/get-job";
import { submitJobs } from "../../jobs/submit";
import type { AppEnv } from "../app-env";
import { actorOf, tenantOf } from "../auth";
import { notFound, validationError } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentJob } from "../present";
import { jobIdSchema } from "../schemas/common";
import { submitJobInputSchema, toDefaultQueueJob } from "../schemas/job-input";
import { jobSchema, scheduleSchema } from "../schemas/responses";
import { scheduledJobInputSchema, scheduleInputSchema } from "../schemas/schedule-input";
import { createSchedule } from "./schedules";
import { SINGLE_BODY_LIMIT } from "./jobs";

const tags = ["short forms"];

const shortSubmittedSchema = z
  .object({ jobId: z.uuid(), id: z.uuid(), status: jobSchema.shape.state, queue: z.string(), position: z.number().int().nullable(), created: z.boolean() })
  .openapi("ShortSubmitted");

const submit = createRoute({
  method: "post",
  path: "/submit-job",
  tags,
  summary: "Submit a job to the default queue (the form simpler queues use)",
  ...access("producer", SINGLE_BODY_LIMIT),
  request: { body: jsonRequest(submitJobInputSchema) },
  responses: {
    201: jsonResponse(shortSubmittedSchema, "The job was created."),
    200: jsonResponse(shortSubmittedSchema, "A job with this idempotency key already existed."),
    ...errors(400, 413, 415),
  },
});

const status = createRoute({
  method: "get",
  path: "/job-status/{id}",
  tags,
  summary: "A job's state (the form simpler queues use)",
  ...access("read"),
  request: { params: z.object({ id: jobIdSchema }) },
  responses: {
    200: jsonResponse(jobSchema.extend({ jobId: z.uuid(), status: jobSchema.shape.state, attempts: z.number().int() }), "The job."),
    ...errors(400, 404),
  },
});

const scheduledJob = createRoute({
  method: "post",
  path: "/api/v1/scheduled-jobs",
  tags,
  summary: "Create a recurring job (the form existing clients use)",
  ...access("producer", SINGLE_BODY_LIMIT),
  request: { body: jsonRequest(scheduledJobInputSchema) },
  responses: { 201: jsonResponse(scheduleSchema, "The schedule."), ...errors(400, 409, 413, 415) },
});

/**
 * The short forms clients of simpler queues use: `POST /submit-job`, `GET /job-status/:id` and
 * `POST /api/v1/scheduled-jobs`.
 */
export const compatRoutes = new OpenAPIHono<AppEnv>()
  .openapi(submit, async (c) => {
    const now = Date.now();
    const [s] = await submitJobs(c.env, c.var.db, [{ ...toDefaultQueueJob(c.req.valid("json"), now), tenant: tenantOf(c) }], new Date(now), actorOf(c));
    const body = { jobId: s!.job.id, id: s!.job.id, status: s!.job.state, queue: s!.job.queue, position: s!.position, created: s!.created };
    return s!.created ? c.json(body, 201) : c.json(body, 200);
  })
  .openapi(status, async (c) => {
    const { id } = c.req.valid("param");
    const found = await getJob(c.var.db, id, tenantOf(c));
    if (!found) throw notFound("job", id);
    return c.json({ ...presentJob(found.job), jobId: found.job.id, status: found.job.state, attempts: found.attempts.length }, 200);
  })
  .openapi(scheduledJob, async (c) => {
    const parsed = scheduleInputSchema.safeParse(c.req.valid("json"));
    if (!parsed.success) throw validationError(parsed.error, "request body");
    return c.json(await createSchedule(c, parsed.data), 201);
  });
