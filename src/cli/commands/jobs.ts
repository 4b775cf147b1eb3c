import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { EdgeqClient, type Job, type JobInput, type JobListQuery, type JobPage } from "../../client";
import { context, examples, parse } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { relative, type Output } from "../output";
import { progressBar } from "../progress";

const BATCH = 1000;

/** A list of jobs as a table. */
export function jobTable(out: Output, jobs: Job[]): void {
  out.table(
    ["ID", "QUEUE", "TYPE", "STATE", "PRI", "ATTEMPT", "RUN AT", "ERROR"],
    jobs.map((j) => [j.id, j.queue, j.type, j.state, j.priority, `${j.attempt}/${j.maxAttempts}`, relative(j.runAt), j.error?.message.slice(0, 60) ?? null]),
  );
}

/** Every page (`all`) or the first, as one list and whether more remain. */
export async function collect(pages: AsyncGenerator<JobPage>, all: boolean): Promise<{ jobs: Job[]; nextCursor: string | null }> {
  const { items, nextCursor } = await collectPages(pages, (p) => p.jobs, all);
  return { jobs: items, nextCursor };
}

/** The items of the first page, or of every page with `all`, and the cursor after the last read. */
export async function collectPages<P extends { nextCursor: string | null }, T>(pages: AsyncGenerator<P>, itemsOf: (page: P) => T[], all: boolean): Promise<{ items: T[]; nextCursor: string | null }> {
  const items: T[] = [];
  let nextCursor: string | null = null;
  for await (const page of pages) {
    items.push(...itemsOf(page));
    nextCursor = page.nextCursor;
    if (!all) break;
  }
  return { items, nextCursor };
}

/** Jobs from an NDJSON file (or `-` for stdin), one job object per line. */
export function readJobs(file: string): JobInput[] {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  return text
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, n }) => {
      try {
        return JSON.parse(line) as JobInput;
      } catch {
        throw new CliError(`${file}:${n}: not JSON`, EXIT.usage);
      }
    });
}

async function submitFile(client: EdgeqClient, file: string, queue: string | undefined, quiet: boolean) {
  const jobs = readJobs(file);
  const bar = progressBar("submitting", jobs.length, quiet);
  let created = 0;
  let existing = 0;
  try {
    for (let i = 0; i < jobs.length; i += BATCH) {
      const chunk = jobs.slice(i, i + BATCH);
      const answer = await client.submitBatch({ queue, jobs: chunk });
      created += answer.created;
      existing += answer.existing;
      bar.increment(chunk.length);
    }
  } finally {
    bar.stop();
  }
  return { submitted: jobs.length, created, existing };
}

const printJob = (out: Output, job: Job & { attempts?: unknown[] }) =>
  out.fields({ id: job.id, queue: job.queue, type: job.type, state: job.state, priority: job.priority, attempt: `${job.attempt}/${job.maxAttempts}`, runAt: job.runAt, payload: job.payload, result: job.result, error: job.error?.message ?? null, ...(job.attempts ? { attempts: job.attempts.length } : {}) });

export function jobsCommand(): Command {
  const jobs = new Command("jobs").description("submit, inspect, cancel, retry and wait for jobs");

  jobs
    .command("submit")
    .description("submit a job (or many from an NDJSON file, with a progress bar)")
    .argument("[type]", "the job type (its handler)")
    .option("-q, --queue <name>", "the queue", undefined)
    .option("-p, --payload <json>", "the payload, as JSON", parse.json)
    .option("--priority <p>", "0-10 or critical, high, default, low")
    .option("--delay <duration>", 'run no sooner than this: seconds or "30s", "5m"')
    .option("--run-at <time>", "run no sooner than this ISO 8601 time")
    .option("--max-attempts <n>", "attempts before the dead-letter queue", parse.int)
    .option("--timeout-ms <ms>", "time limit of one attempt", parse.int)
    .option("--idempotency-key <key>", "a repeated submit with this key returns the first job (default: a new key)")
    .option("--tag <tag>", "a label (repeat or comma-separate)", parse.list)
    .option("-f, --file <ndjson>", "submit every job in this file (one JSON job per line; - for stdin), 1,000 per request")
    .option("-w, --wait", "wait until the job finishes, and exit 9 if it ends dead or cancelled")
    .option("--timeout <duration>", "with --wait: give up after this long (exit 8)", parse.durationMs, 60_000)
    .addHelpText(
      "after",
      examples(
        `edgeq jobs submit send-email -q emails -p '{"to":"a@example.com"}' --priority high`,
        "edgeq jobs submit report --delay 5m --tag nightly",
        "edgeq jobs submit echo --wait --timeout 30s",
        "edgeq jobs submit --file jobs.ndjson --queue imports",
      ),
    )
    .action(async (type: string | undefined, o, command: Command) => {
      const { client, out, json } = context(command);
      if (o.file) {
        const summary = await submitFile(client, o.file, o.queue, json);
        return out.result(summary, () => out.line(`submitted ${summary.submitted} jobs: ${summary.created} created, ${summary.existing} already existed`));
      }
      if (!type) throw new CliError("give a job type, or --file", EXIT.usage);
      const priority = o.priority === undefined ? undefined : /^\d+$/.test(o.priority) ? Number(o.priority) : o.priority;
      const delay = o.delay === undefined ? undefined : /^\d+$/.test(o.delay) ? Number(o.delay) : o.delay;
      const job = await client.submit({ type, queue: o.queue, payload: o.payload, priority, delay, runAt: o.runAt, maxAttempts: o.maxAttempts, timeoutMs: o.timeoutMs, idempotencyKey: o.idempotencyKey, tags: o.tag });
      if (!o.wait) return out.result(job, () => out.line(`${job.created ? "submitted" : "already existed:"} ${job.id} (${job.state} on ${job.queue})`));
      await waitAndReport(client, out, job.id, o.timeout);
    });

  jobs
    .command("get")
    .description("show a job with its attempts")
    .argument("<id>", "the job's id")
    .addHelpText("after", examples("edgeq jobs get 0b6c…", "edgeq jobs get 0b6c… --json | jq .attempts"))
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const job = await client.get(id);
      out.result(job, () => {
        printJob(out, job);
        if (job.attempts.length > 0) {
          out.line("");
          out.table(["#", "OUTCOME", "STARTED", "MS", "ERROR"], job.attempts.map((a) => [a.attempt, a.outcome, a.startedAt, a.durationMs, a.error?.message ?? null]));
        }
      });
    });

  jobs
    .command("list")
    .description("list jobs, newest first")
    .option("-q, --queue <name>", "only this queue")
    .addOption(new Option("-s, --state <states>", "only these states (comma list)"))
    .option("-t, --type <type>", "only this type")
    .option("--tag <tag>", "only jobs with this tag")
    .option("--error <text>", "only jobs whose error contains this")
    .option("-n, --limit <n>", "jobs per page", parse.int, 50)
    .option("-a, --all", "every page, not just the first")
    .addHelpText("after", examples("edgeq jobs list -q emails -s queued,running", "edgeq jobs list --all --json > jobs.json"))
    .action(async (o, command: Command) => {
      const { client, out } = context(command);
      const query: JobListQuery = { queue: o.queue, state: o.state, type: o.type, tag: o.tag, error: o.error, limit: o.limit };
      const page = await collect(client.list(query), o.all === true);
      out.result(page, () => {
        jobTable(out, page.jobs);
        if (page.nextCursor) out.line(`(more: --all for every page)`);
      });
    });

  jobs
    .command("cancel")
    .description("cancel jobs that have not started")
    .argument("<ids...>", "job ids")
    .addHelpText("after", examples("edgeq jobs cancel 0b6c… 7f1e…"))
    .action(async (ids: string[], _o, command: Command) => {
      const { client, out } = context(command);
      const done: Job[] = [];
      for (const id of ids) done.push(await client.cancel(id));
      out.result(done, () => done.forEach((j) => out.line(`cancelled ${j.id}`)));
    });

  jobs
    .command("retry")
    .description("retry dead or cancelled jobs with a fresh attempt budget")
    .argument("<ids...>", "job ids")
    .addHelpText("after", examples("edgeq jobs retry 0b6c…"))
    .action(async (ids: string[], _o, command: Command) => {
      const { client, out } = context(command);
      const done: Job[] = [];
      for (const id of ids) done.push(await client.retry(id));
      out.result(done, () => done.forEach((j) => out.line(`retried ${j.id} (${j.state})`)));
    });

  jobs
    .command("wait")
    .description("wait until a job is completed, dead or cancelled (exit 0, 9, or 8 on timeout)")
    .argument("<id>", "the job's id")
    .option("--timeout <duration>", "give up after this long", parse.durationMs, 60_000)
    .addHelpText("after", examples("edgeq jobs wait 0b6c… --timeout 2m && echo done"))
    .action(async (id: string, o, command: Command) => {
      const { client, out } = context(command);
      await waitAndReport(client, out, id, o.timeout);
    });

  return jobs;
}

async function waitAndReport(client: EdgeqClient, out: Output, id: string, timeoutMs: number): Promise<void> {
  const job = await client.waitFor(id, { timeoutMs });
  out.result(job, () => out.line(`${job.id} ${job.state}${job.error ? `: ${job.error.message}` : ""}`));
  if (job.state !== "completed") throw new CliError("", EXIT.jobFailed);
}
