import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { countJobsByQueue, getQueue, listQueues, upsertQueue, type QueueSettings } from "../../db/queries/queues";
import type { QueueRow } from "../../db/schema";
import type { Env } from "../../env";
import { schedulerConfig } from "../../jobs/enqueue";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";
import type { Context } from "hono";
import { tenantOf } from "../auth";
import { assertQueueWritable, visibleQueue } from "../tenant-guard";
import { notFound } from "../errors";
import { access, errors, jsonRequest, jsonResponse } from "../openapi/route-kit";
import { presentQueue } from "../present";
import { queueNameSchema } from "../schemas/common";
import { queueSettingsSchema } from "../schemas/queue-settings";
import { queueSchema } from "../schemas/responses";
import { log } from "../../log";

/** Pushes new settings to the scheduler; if that fails, the next enqueue carries them (versioned). */
async function pushConfig(env: Env, queue: QueueRow): Promise<void> {
  await schedulerFor(env, queue.name)
    .configure(queue.name, schedulerConfig(queue))
    .catch((error: unknown) => log("error", "the scheduler missed a config change", { queue: queue.name }, error));
}

async function change(c: Context<AppEnv>, name: string, settings: QueueSettings) {
  await assertQueueWritable(c, name);
  const queue = await upsertQueue(c.var.db, name, settings, new Date(), tenantOf(c));
  await pushConfig(c.env, queue);
  const counts = await countJobsByQueue(c.var.db, name);
  return presentQueue(queue, counts.get(name) ?? {});
}

const tags = ["queues"];
const nameParams = z.object({ name: queueNameSchema });

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Every queue with its settings and job counts",
  ...access("read"),
  responses: { 200: jsonResponse(z.object({ queues: z.array(queueSchema) }), "The queues."), ...errors() },
});

const get = createRoute({
  method: "get",
  path: "/{name}",
  tags,
  summary: "A queue with its counts and its scheduler's view",
  ...access("read"),
  request: { params: nameParams },
  responses: { 200: jsonResponse(queueSchema, "The queue."), ...errors(400, 404) },
});

const put = createRoute({
  method: "put",
  path: "/{name}",
  tags,
  summary: "Create a queue or change its settings",
  ...access("admin", 64 * 1024),
  request: { params: nameParams, body: jsonRequest(queueSettingsSchema) },
  responses: { 200: jsonResponse(queueSchema, "The queue as it now is."), ...errors(400, 413, 415) },
});

const toggle = (action: "pause" | "resume") =>
  createRoute({
    method: "post",
    path: `/{name}/${action}`,
    tags,
    summary: action === "pause" ? "Stop dispatching the queue's jobs (running ones finish)" : "Dispatch the queue's jobs again",
    ...access("admin"),
    request: { params: nameParams },
    responses: { 200: jsonResponse(queueSchema, "The queue as it now is."), ...errors(400) },
  });

export const queueRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const [queues, counts] = await Promise.all([listQueues(c.var.db, tenantOf(c)), countJobsByQueue(c.var.db)]);
    return c.json({ queues: queues.map((q) => presentQueue(q, counts.get(q.name) ?? {})) }, 200);
  })
  .openapi(get, async (c) => {
    const { name } = c.req.valid("param");
    const queue = await visibleQueue(c, name);
    const [counts, scheduler] = await Promise.all([
      countJobsByQueue(c.var.db, name),
      schedulerFor(c.env, name)
        .stats()
        .catch(() => null),
    ]);
    return c.json(presentQueue(queue, counts.get(name) ?? {}, scheduler), 200);
  })
  .openapi(put, async (c) => c.json(await change(c, c.req.valid("param").name, c.req.valid("json")), 200))
  .openapi(toggle("pause"), async (c) => c.json(await change(c, c.req.valid("param").name, { paused: true }), 200))
  .openapi(toggle("resume"), async (c) => c.json(await change(c, c.req.valid("param").name, { paused: false }), 200));

/** The route definitions, whose schemas give the typed client its types. */
export type QueueRouteDefs = { list: typeof list; get: typeof get; put: typeof put; toggle: ReturnType<typeof toggle> };
