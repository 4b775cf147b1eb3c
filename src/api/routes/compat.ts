import { Hono } from "hono";
import { getJob } from "../../db/queries/get-job";
import { submitJobs } from "../../jobs/submit";
import type { AppEnv } from "../app-env";
import { notFound } from "../errors";
import { presentJob } from "../present";
import { jobIdSchema } from "../schemas/common";
import { MAX_PAYLOAD_BYTES, submitJobInputSchema, toDefaultQueueJob } from "../schemas/job-input";
import { readJson, readParam } from "../validation";

/** The short forms clients of simpler queues use: `POST /submit-job` and `GET /job-status/:id`. */
export const compatRoutes = new Hono<AppEnv>()
  .post("/submit-job", async (c) => {
    const input = await readJson(c, submitJobInputSchema, MAX_PAYLOAD_BYTES + 64 * 1024);
    const [s] = await submitJobs(c.env, c.var.db, [toDefaultQueueJob(input, Date.now())], new Date());
    return c.json({ jobId: s!.job.id, id: s!.job.id, status: s!.job.state, queue: s!.job.queue, position: s!.position, created: s!.created }, s!.created ? 201 : 200);
  })
  .get("/job-status/:id", async (c) => {
    const id = readParam(c, "id", jobIdSchema);
    const found = await getJob(c.var.db, id);
    if (!found) throw notFound("job", id);
    return c.json({ ...presentJob(found.job), jobId: found.job.id, status: found.job.state, attempts: found.attempts.length });
  });
