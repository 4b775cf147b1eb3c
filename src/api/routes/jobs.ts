import { Hono } from "hono";
import { cancelJob } from "../../db/queries/cancel-job";
import { getJob } from "../../db/queries/get-job";
import { listJobs } from "../../db/queries/list-jobs";
import { requeueJobs } from "../../db/queries/requeue-jobs";
import { enqueueByQueue } from "../../jobs/enqueue";
import { submitJobs, type Submitted } from "../../jobs/submit";
import { schedulerFor } from "../../scheduler/stub";
import type { AppEnv } from "../app-env";
import { ApiError, notFound } from "../errors";
import { presentAttempt, presentJob } from "../present";
import { jobIdSchema } from "../schemas/common";
import { batchInputSchema, jobInputSchema, MAX_PAYLOAD_BYTES, toQueuedJob } from "../schemas/job-input";
import { encodeCursor, listJobsQuerySchema, toJobFilter } from "../schemas/list-query";
import { readJson, readParam, readQuery } from "../validation";

/** Room for the JSON around a payload at its limit. */
const SINGLE_BODY_LIMIT = MAX_PAYLOAD_BYTES + 64 * 1024;
const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

function presentSubmitted(s: Submitted) {
  return { ...presentJob(s.job), position: s.position, created: s.created };
}

/** A batch answers with what a producer needs per job, not 1,000 full jobs. */
function presentSubmittedBrief({ job, position, created }: Submitted) {
  return { id: job.id, queue: job.queue, type: job.type, state: job.state, priority: job.priority, runAt: job.runAt.toISOString(), position, created };
}

export const jobRoutes = new Hono<AppEnv>()
  .post("/", async (c) => {
    const input = await readJson(c, jobInputSchema, SINGLE_BODY_LIMIT);
    const [submitted] = await submitJobs(c.env, c.var.db, [toQueuedJob(input, Date.now())], new Date());
    return c.json(presentSubmitted(submitted!), submitted!.created ? 201 : 200);
  })
  .post("/batch", async (c) => {
    const input = await readJson(c, batchInputSchema, BATCH_BODY_LIMIT);
    const now = Date.now();
    const submitted = await submitJobs(c.env, c.var.db, input.jobs.map((j) => toQueuedJob(j, now)), new Date(now));
    const created = submitted.filter((s) => s.created).length;
    return c.json({ created, existing: submitted.length - created, jobs: submitted.map(presentSubmittedBrief) }, created > 0 ? 201 : 200);
  })
  .get("/", async (c) => {
    const q = readQuery(c, listJobsQuerySchema);
    const page = await listJobs(c.var.db, toJobFilter(q), q.limit, q.cursor ?? null);
    return c.json({ jobs: page.jobs.map(presentJob), nextCursor: page.next ? encodeCursor(page.next) : null });
  })
  .get("/:id", async (c) => {
    const id = readParam(c, "id", jobIdSchema);
    const found = await getJob(c.var.db, id);
    if (!found) throw notFound("job", id);
    return c.json({ ...presentJob(found.job), attempts: found.attempts.map(presentAttempt) });
  })
  .delete("/:id", async (c) => {
    const id = readParam(c, "id", jobIdSchema);
    const outcome = await cancelJob(c.var.db, id, new Date());
    if (!outcome) throw notFound("job", id);
    const { job, cancelled } = outcome;
    if (!cancelled) {
      if (job.state === "running") throw new ApiError(409, "job_running", `job ${id} is running and cannot be cancelled`, { state: job.state });
      throw new ApiError(409, "job_final", `job ${id} is already ${job.state}`, { state: job.state });
    }
    // Postgres says cancelled: a scheduler that still holds it would only see its claim refused.
    await schedulerFor(c.env, job.queue)
      .remove([job.id])
      .catch((error: unknown) => console.error(`edgeq: scheduler ${job.queue} missed the cancel of ${job.id}`, error));
    return c.json(presentJob(job));
  })
  .post("/:id/retry", async (c) => {
    const id = readParam(c, "id", jobIdSchema);
    const [job] = await requeueJobs(c.var.db, { ids: [id] }, new Date());
    if (!job) {
      const current = await getJob(c.var.db, id);
      if (!current) throw notFound("job", id);
      throw new ApiError(409, "not_retryable_state", `job ${id} is ${current.job.state}; only dead or cancelled jobs can be retried`, {
        state: current.job.state,
      });
    }
    await enqueueByQueue(c.env, [job]);
    return c.json(presentJob(job));
  });
