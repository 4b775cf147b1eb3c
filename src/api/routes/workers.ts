import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteWorker, liveWorkers, upsertWorker } from "../../db/queries/workers";
import { workerEvent } from "../../live/events";
import { publish } from "../../live/publish";
import { WORKER_TTL_MS } from "../../cron/forget-workers";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { ApiError, notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentWorker } from "../present-integrations";
import { isoTimeSchema, jobIdSchema, queueNameSchema } from "../schemas/common";
import { workerSchema } from "../schemas/integration-responses";
import { workerIdSchema } from "./pull";

const tags = ["pull workers"];
const idParams = z.object({ id: workerIdSchema });

const announceInput = z.strictObject({
  name: z.string().min(1).max(200),
  queues: z.array(queueNameSchema).max(100).default([]),
  host: z.string().max(255).optional(),
  startedAt: isoTimeSchema.optional(),
  currentJobs: z.array(jobIdSchema).max(1000).default([]),
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: `Pull workers heard from in the last ${WORKER_TTL_MS / 1000} seconds`,
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ workers: z.array(workerSchema) }), "The workers."), ...errors() },
});

const announce = createRoute({
  method: "put",
  path: "/{id}",
  tags,
  summary: "A worker's heartbeat: who it is, what it serves, what it runs now",
  ...access("producer", 64 * 1024),
  request: { params: idParams, body: jsonRequest(announceInput) },
  responses: { 200: jsonResponse(workerSchema, "The worker as registered."), ...errors(400, 413, 415) },
});

const leave = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "A worker stopping: forget it now",
  ...access("producer"),
  request: { params: idParams },
  responses: { 200: jsonResponse(workerSchema, "The worker as it was."), ...errors(400, 404) },
});

export const workerRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ workers: (await liveWorkers(c.var.db, new Date(Date.now() - WORKER_TTL_MS), tenantOf(c))).map(presentWorker) }, 200))
  .openapi(announce, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const now = Date.now();
    const registered = await upsertWorker(
      c.var.db,
      { id, tenantId: tenantOf(c), name: input.name, queues: [...new Set(input.queues)], host: input.host ?? null, startedAt: new Date(input.startedAt ?? now), currentJobs: input.currentJobs },
      new Date(now),
    );
    if (!registered) throw new ApiError(409, "name_taken", `the worker id ${id} belongs to another tenant; choose another`, { id });
    const { worker, joined } = registered;
    if (joined) c.var.defer(publish(c.env, [workerEvent("worker.joined", worker, now)]));
    return c.json(presentWorker(worker), 200);
  })
  .openapi(leave, async (c) => {
    const { id } = c.req.valid("param");
    const worker = await deleteWorker(c.var.db, id, tenantOf(c));
    if (!worker) throw notFound("worker", id);
    c.var.defer(publish(c.env, [workerEvent("worker.left", worker, Date.now(), "stopped")]));
    return c.json(presentWorker(worker), 200);
  });

/** The route definitions, whose schemas give the typed client its types. */
export type WorkerRouteDefs = { list: typeof list; announce: typeof announce; leave: typeof leave };
