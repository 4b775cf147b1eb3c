import { Hono } from "hono";
import { countJobsByQueue, getQueue, listQueues, upsertQueue, type QueueSettings } from "../../db/queries/queues";
import type { QueueRow } from "../../db/schema";
import { schedulerConfig } from "../../jobs/enqueue";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";
import type { Env } from "../../env";
import { notFound } from "../errors";
import { presentQueue } from "../present";
import { queueNameSchema } from "../schemas/common";
import { queueSettingsSchema } from "../schemas/queue-settings";
import { readJson, readParam } from "../validation";

/** Pushes new settings to the scheduler; if that fails, the next enqueue carries them (versioned). */
async function pushConfig(env: Env, queue: QueueRow): Promise<void> {
  await schedulerFor(env, queue.name)
    .configure(queue.name, schedulerConfig(queue))
    .catch((error: unknown) => console.error(`edgeq: scheduler ${queue.name} missed a config change`, error));
}

async function change(env: Env, db: AppEnv["Variables"]["db"], name: string, settings: QueueSettings) {
  const queue = await upsertQueue(db, name, settings, new Date());
  await pushConfig(env, queue);
  const counts = await countJobsByQueue(db, name);
  return presentQueue(queue, counts.get(name) ?? {});
}

export const queueRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const [queues, counts] = await Promise.all([listQueues(c.var.db), countJobsByQueue(c.var.db)]);
    return c.json({ queues: queues.map((q) => presentQueue(q, counts.get(q.name) ?? {})) });
  })
  .get("/:name", async (c) => {
    const name = readParam(c, "name", queueNameSchema);
    const queue = await getQueue(c.var.db, name);
    if (!queue) throw notFound("queue", name);
    const [counts, scheduler] = await Promise.all([
      countJobsByQueue(c.var.db, name),
      schedulerFor(c.env, name)
        .stats()
        .catch(() => null),
    ]);
    return c.json(presentQueue(queue, counts.get(name) ?? {}, scheduler));
  })
  .put("/:name", async (c) => {
    const name = readParam(c, "name", queueNameSchema);
    const settings = await readJson(c, queueSettingsSchema, 64 * 1024);
    return c.json(await change(c.env, c.var.db, name, settings));
  })
  .post("/:name/pause", async (c) => c.json(await change(c.env, c.var.db, readParam(c, "name", queueNameSchema), { paused: true })))
  .post("/:name/resume", async (c) => c.json(await change(c.env, c.var.db, readParam(c, "name", queueNameSchema), { paused: false })));
