import { z } from "zod";
import { isoTimeSchema, jobIdSchema, queueNameSchema } from "../api/schemas/common";
import { jobTypeSchema } from "../api/schemas/job-input";
import type { Scope } from "../auth/scopes";
import type { EdgeqClient } from "../client";
import { EdgeqError } from "../client/errors";
import { prioritySchema } from "../core/priority";
import { analyzeFailure } from "./failure-analysis";

/**
 * The tools edgeq offers AI assistants over MCP. Each runs through the typed client against the API
 * itself, so validation, scopes and answers are exactly the HTTP API's; `scope` is the key scope the
 * route needs, and a key sees only the tools its scopes allow.
 */
interface Tool<S extends z.ZodRawShape> {
  name: string;
  scope: Scope;
  description: string;
  input: S;
  run(client: EdgeqClient, args: z.output<z.ZodObject<S>>): Promise<unknown>;
}

const tool = <S extends z.ZodRawShape>(t: Tool<S>) => t as unknown as Tool<z.ZodRawShape>;

const jobId = jobIdSchema.describe("The job's id (a UUID).");
const queue = queueNameSchema.describe("A queue name, e.g. \"emails\".");
const windowFields = {
  from: isoTimeSchema.optional().describe("Start of the window, ISO 8601 (default: 24 hours ago)."),
  to: isoTimeSchema.optional().describe("End of the window, ISO 8601 (default: now)."),
};

export const TOOLS = [
  tool({
    name: "enqueue_job",
    scope: "producer",
    description:
      "Submit a background job to edgeq. The job runs on its queue by priority (0-10 or critical/high/default/low, higher first), " +
      "after an optional delay or at runAt, retried with backoff up to maxAttempts, then dead-lettered. " +
      "Returns the job (id, state, position). Give an idempotencyKey to make a repeated call return the same job.",
    input: {
      type: jobTypeSchema.describe("The job type, which picks its handler, e.g. \"echo\", \"http\", \"send-email\"."),
      queue: queue.optional().describe("The queue (default \"default\")."),
      payload: z.unknown().optional().describe("Any JSON the handler receives."),
      priority: prioritySchema.optional().describe("0-10 or critical (10), high (8), default (5), low (2)."),
      delaySeconds: z.number().min(0).optional().describe("Run no sooner than this many seconds from now."),
      runAt: isoTimeSchema.optional().describe("Run no sooner than this ISO 8601 time (instead of delaySeconds)."),
      maxAttempts: z.number().int().min(1).max(1000).optional().describe("Attempts before the dead-letter queue (default: the queue's)."),
      idempotencyKey: z.string().min(1).max(255).optional().describe("Submitting again with the same key returns the first job."),
      tags: z.array(z.string().min(1).max(100)).max(50).optional().describe("Labels to filter jobs by."),
    },
    run: (client, { delaySeconds, ...job }) => client.submit({ ...job, delay: delaySeconds }),
  }),
  tool({
    name: "get_job",
    scope: "read",
    description: "Get a job by id: its state (waiting, scheduled, queued, running, completed, dead, cancelled), payload, result, last error and attempt history.",
    input: { id: jobId },
    run: (client, { id }) => client.get(id),
  }),
  tool({
    name: "cancel_job",
    scope: "admin",
    description: "Cancel a job that has not started (waiting, scheduled or queued). A running or finished job cannot be cancelled; the error says which.",
    input: { id: jobId },
    run: (client, { id }) => client.cancel(id),
  }),
  tool({
    name: "list_queues",
    scope: "read",
    description: "List every queue with its settings (concurrency, maxAttempts, backoff, timeout, paused) and its job counts by state.",
    input: {},
    run: (client) => client.queues.list(),
  }),
  tool({
    name: "get_queue_depth",
    scope: "read",
    description:
      "How much work a queue holds now: jobs by state from the database, and the scheduler's live view (ready to run, delayed until later, leased to a runner), and whether it is paused.",
    input: { queue },
    run: async (client, { queue: name }) => {
      const q = await client.queues.get(name);
      return { queue: q.name, paused: q.paused, concurrency: q.concurrency, counts: q.counts, scheduler: q.scheduler ? { ready: q.scheduler.ready, delayed: q.scheduler.delayed, leased: q.scheduler.leased } : null };
    },
  }),
  tool({
    name: "list_dlq",
    scope: "read",
    description: "List dead-lettered jobs (retries exhausted or not retryable), newest first, optionally by queue, type or error text. Pass nextCursor back as cursor for more.",
    input: {
      queue: queue.optional(),
      type: jobTypeSchema.optional().describe("Only jobs of this type."),
      error: z.string().min(1).max(200).optional().describe("Only jobs whose error message contains this text."),
      limit: z.number().int().min(1).max(100).default(20).describe("Jobs per page (default 20)."),
      cursor: z.string().optional().describe("The nextCursor of the previous page."),
    },
    run: (client, query) => client.dlq.listPage(query),
  }),
  tool({
    name: "get_dlq_job",
    scope: "read",
    description: "Get one dead-lettered job with its error and every attempt, to see why it failed. Fails if the job is not in the dead-letter queue.",
    input: { id: jobId },
    run: async (client, { id }) => {
      const job = await client.get(id);
      if (job.state !== "dead") throw new EdgeqError(404, "not_found", `job ${id} is ${job.state}, not in the dead-letter queue`, { state: job.state });
      return job;
    },
  }),
  tool({
    name: "retry_dlq_job",
    scope: "admin",
    description: "Put a dead-lettered job back in its queue with a fresh attempt budget. Fix the cause first (see analyze_failure).",
    input: { id: jobId },
    run: async (client, { id }) => {
      const result = await client.dlq.retry({ ids: [id] });
      if (result.retried === 0) throw new EdgeqError(409, "not_retryable_state", `job ${id} is not in the dead-letter queue`, { id });
      return client.get(id);
    },
  }),
  tool({
    name: "delete_dlq_job",
    scope: "admin",
    description: "Delete a dead-lettered job for good, with its attempt history. This cannot be undone.",
    input: { id: jobId },
    run: (client, { id }) => client.dlq.delete(id),
  }),
  tool({
    name: "list_executions",
    scope: "read",
    description: "List job executions (attempts) that started in a time window, newest window by default: job id, queue, type, attempt number, start, end and outcome (completed, failed, timeout, lost).",
    input: { queue: queue.optional(), ...windowFields, limit: z.number().int().min(1).max(1000).default(100).describe("At most this many (default 100).") },
    run: (client, query) => client.analytics("timeline", query),
  }),
  tool({
    name: "get_job_executions",
    scope: "read",
    description: "List every execution (attempt) of one job: when it started and ended, how long it ran, its outcome and its error.",
    input: { id: jobId },
    run: async (client, { id }) => {
      const job = await client.get(id);
      return { jobId: job.id, state: job.state, attempts: job.attempts };
    },
  }),
  tool({
    name: "get_stats",
    scope: "read",
    description:
      "Queue statistics: per queue the backlog, running jobs, today's completed/failed/dead counts, average run time and a health colour; " +
      "plus, for the window, run-time percentiles, attempts needed to succeed, and the most frequent errors.",
    input: { queue: queue.optional().describe("Only this queue's durations, attempts and errors."), ...windowFields },
    run: async (client, window) => {
      const [overview, durations, attempts, errors] = await Promise.all([
        client.analytics("overview"),
        client.analytics("durations", window),
        client.analytics("attempts", window),
        client.analytics("errors", { ...window, limit: 10 }),
      ]);
      return { queues: window.queue ? overview.queues.filter((q) => q.queue === window.queue) : overview.queues, durations, attempts, topErrors: errors.errors };
    },
  }),
  tool({
    name: "health_check",
    scope: "read",
    description: "Check whether edgeq is healthy: whether its database (Postgres) and its queue scheduler answer, with their latencies.",
    input: {},
    run: (client) => client.health(),
  }),
  tool({
    name: "analyze_failure",
    scope: "read",
    description:
      "Explain why a job failed and what to do: a verdict from its attempts (unknown_job_type, timeout, lost, not_retryable, persistent, transient), " +
      "its last error, how many recent failures share the error, suggested next steps, and edgeq's failure insight " +
      "(category, suggested action, reasoning and confidence, from the built-in analyzer or Workers AI; made now if the key may submit jobs).",
    input: { id: jobId },
    run: async (client, { id }) => {
      const job = await client.get(id);
      const recent = await client.analytics("errors", { limit: 1000 });
      const analysis = analyzeFailure(job, recent.errors);
      return { ...analysis, insight: analysis.verdict === "not_failed" ? null : await insightFor(client, id) };
    },
  }),
];

/** The job's newest insight: an existing one, else one made now (a read-only key cannot make one). */
async function insightFor(client: EdgeqClient, jobId: string) {
  const [existing] = (await client.insights.listPage({ job_id: jobId, limit: 1 })).insights;
  if (existing) return existing;
  try {
    return await client.insights.analyze(jobId);
  } catch (error) {
    if (error instanceof EdgeqError && error.code === "forbidden") return null;
    throw error;
  }
}

/** A tool's answer as MCP content: its JSON, or the API's error as an error result. */
export async function runTool(t: Tool<z.ZodRawShape>, client: EdgeqClient, args: Record<string, unknown>) {
  try {
    const result = await t.run(client, args);
    return { content: [{ type: "text" as const, text: JSON.stringify(result, null, 2) }] };
  } catch (error) {
    if (!(error instanceof EdgeqError)) throw error;
    const body = { error: { code: error.code, message: error.message, details: error.details } };
    return { isError: true, content: [{ type: "text" as const, text: JSON.stringify(body, null, 2) }] };
  }
}
