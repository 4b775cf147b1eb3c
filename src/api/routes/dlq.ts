import { Hono } from "hono";
import { z } from "zod";
import { deleteDeadJob } from "../../db/queries/delete-dead-job";
import { listJobs } from "../../db/queries/list-jobs";
import { requeueJobs } from "../../db/queries/requeue-jobs";
import { enqueueByQueue } from "../../jobs/enqueue";
import type { AppEnv } from "../app-env";
import { notFound } from "../errors";
import { presentJob } from "../present";
import { isoTimeSchema, jobIdSchema, queueNameSchema } from "../schemas/common";
import { encodeCursor, listDlqQuerySchema, toJobFilter } from "../schemas/list-query";
import { readJson, readParam, readQuery } from "../validation";

/** One bulk retry moves at most this many jobs; `remaining` tells the caller to call again. */
const MAX_BULK_RETRY = 10_000;

const retryBodySchema = z.union([
  z.strictObject({ ids: z.array(jobIdSchema).min(1).max(MAX_BULK_RETRY) }),
  z.strictObject({
    filter: z.strictObject({
      queue: queueNameSchema.optional(),
      type: z.string().min(1).max(200).optional(),
      since: isoTimeSchema.transform((s) => new Date(s)).optional(),
      until: isoTimeSchema.transform((s) => new Date(s)).optional(),
      error: z.string().min(1).max(200).optional(),
    }),
    limit: z.number().int().min(1).max(MAX_BULK_RETRY).default(MAX_BULK_RETRY),
  }),
]);

export const dlqRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const q = readQuery(c, listDlqQuerySchema);
    const page = await listJobs(c.var.db, toJobFilter({ ...q, state: ["dead"] }), q.limit, q.cursor ?? null);
    return c.json({ jobs: page.jobs.map(presentJob), nextCursor: page.next ? encodeCursor(page.next) : null });
  })
  .post("/retry", async (c) => {
    const body = await readJson(c, retryBodySchema, 1024 * 1024);
    const target =
      "ids" in body
        ? { ids: body.ids }
        : { filter: toJobFilter({ ...body.filter, state: ["dead"] }), limit: body.limit };
    const jobs = await requeueJobs(c.var.db, target, new Date());
    await enqueueByQueue(c.env, jobs);
    const full = "limit" in target && jobs.length === target.limit;
    return c.json({ retried: jobs.length, ids: jobs.map((j) => j.id), more: full });
  })
  .delete("/:id", async (c) => {
    const id = readParam(c, "id", jobIdSchema);
    if (!(await deleteDeadJob(c.var.db, id))) throw notFound("dead-lettered job", id);
    return c.json({ deleted: true, id });
  });
