import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { eventLog, jobEventsOf } from "../../db/queries/job-events";
import { getJob } from "../../db/queries/get-job";
import type { JobEventRow } from "../../db/schema";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { assertJobVisible } from "../tenant-guard";
import { notFound } from "../errors";
import { access, errors, jsonResponse } from "../openapi/route-kit";
import { jobIdSchema } from "../schemas/common";
import { encodeEventCursor, eventLogPageSchema, eventLogQuerySchema, jobEventsSchema } from "../schemas/job-events";

/** A job's trail holds a few events per attempt; this bounds a pathological one. */
const MAX_JOB_EVENTS = 5000;

const present = (e: JobEventRow) => ({ ...e, id: String(e.id), at: e.at.toISOString() });

const jobTrail = createRoute({
  method: "get",
  path: "/{id}/events",
  tags: ["audit"],
  summary: "A job's audit trail: every transition, oldest first, with its time, actor and attempt",
  ...access("read"),
  request: { params: z.object({ id: jobIdSchema }) },
  responses: { 200: jsonResponse(jobEventsSchema, "The job's events."), ...errors(400, 404) },
});

const log = createRoute({
  method: "get",
  path: "/log",
  tags: ["audit"],
  summary: "The audit log across jobs, newest first: filter by queue, type, kind, actor and time; export as NDJSON",
  ...access("read"),
  request: { query: eventLogQuerySchema },
  responses: {
    200: {
      description:
        "A page of events; with format=ndjson, the page as newline-delimited JSON (served as application/x-ndjson, one event per line) and the next cursor in the `x-next-cursor` header.",
      content: { "application/json": { schema: eventLogPageSchema }, "text/plain": { schema: z.string() } },
    },
    ...errors(400),
  },
});

/** The route definitions, whose schemas give the typed client its types. */
export type JobEventRouteDefs = { jobTrail: typeof jobTrail; log: typeof log };

/** A job's trail; mounted under /api/v1/jobs. */
export const jobEventRoutes = new OpenAPIHono<AppEnv>().openapi(jobTrail, async (c) => {
  const { id } = c.req.valid("param");
  await assertJobVisible(c, id);
  const events = await jobEventsOf(c.var.db, id, MAX_JOB_EVENTS);
  // A job with no events predates the audit trail or does not exist; only the latter is a 404.
  if (events.length === 0 && !(await getJob(c.var.db, id, tenantOf(c)))) throw notFound("job", id);
  return c.json({ events: events.map(present) }, 200);
});

/** The log across jobs; mounted under /api/v1/events beside the live-events socket. */
export const eventLogRoutes = new OpenAPIHono<AppEnv>().openapi(log, async (c) => {
  const { limit, cursor, format, kind, ...filter } = c.req.valid("query");
  const rows = await eventLog(c.var.db, { ...filter, kinds: kind, tenant: tenantOf(c) }, limit, cursor ?? null);
  const last = rows.at(-1);
  const nextCursor = rows.length === limit && last ? encodeEventCursor(last.at, last.id) : null;
  if (format === "ndjson") {
    const body = rows.map((e) => JSON.stringify(present(e))).join("\n") + (rows.length > 0 ? "\n" : "");
    return c.text(body, 200, { "content-type": "application/x-ndjson", ...(nextCursor ? { "x-next-cursor": nextCursor } : {}) });
  }
  return c.json({ events: rows.map(present), nextCursor }, 200);
});
