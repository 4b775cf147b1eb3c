import { Command } from "commander";
import type { Queue, QueueSettings } from "../../client";
import { context, examples, parse } from "../context";
import { CliError, EXIT } from "../exit-codes";
import type { Output } from "../output";

const printQueue = (out: Output, q: Queue) =>
  out.fields({ name: q.name, paused: q.paused, concurrency: q.concurrency, maxAttempts: q.maxAttempts, timeoutMs: q.timeoutMs, visibilityTimeoutMs: q.visibilityTimeoutMs, backoff: q.backoff, counts: q.counts, ...(q.scheduler ? { ready: q.scheduler.ready, delayed: q.scheduler.delayed, leased: q.scheduler.leased } : {}) });

export function queuesCommand(): Command {
  const queues = new Command("queues").description("queues: settings, counts, pause and resume");

  queues
    .command("list")
    .description("every queue with its settings and job counts")
    .addHelpText("after", examples("edgeq queues list", "edgeq queues list --json | jq '.[].name'"))
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.queues.list();
      out.result(list, () =>
        out.table(
          ["QUEUE", "PAUSED", "CONCURRENCY", "QUEUED", "SCHEDULED", "RUNNING", "COMPLETED", "DEAD"],
          list.map((q) => [q.name, q.paused ? "yes" : "no", q.concurrency, q.counts.queued ?? 0, q.counts.scheduled ?? 0, q.counts.running ?? 0, q.counts.completed ?? 0, q.counts.dead ?? 0]),
        ),
      );
    });

  queues
    .command("stats")
    .description("a queue's settings, counts, and its scheduler's ready, delayed and leased jobs")
    .argument("<name>", "the queue")
    .addHelpText("after", examples("edgeq queues stats emails"))
    .action(async (name: string, _o, command: Command) => {
      const { client, out } = context(command);
      const q = await client.queues.get(name);
      out.result(q, () => printQueue(out, q));
    });

  for (const action of ["pause", "resume"] as const) {
    queues
      .command(action)
      .description(action === "pause" ? "stop dispatching a queue's jobs (running ones finish)" : "dispatch a queue's jobs again")
      .argument("<name>", "the queue")
      .addHelpText("after", examples(`edgeq queues ${action} emails`))
      .action(async (name: string, _o, command: Command) => {
        const { client, out } = context(command);
        const q = await client.queues[action](name);
        out.result(q, () => out.line(`${q.name} ${q.paused ? "paused" : "resumed"}`));
      });
  }

  queues
    .command("set")
    .description("create a queue or change its settings")
    .argument("<name>", "the queue")
    .option("-c, --concurrency <n>", "jobs leased at once", parse.int)
    .option("--max-attempts <n>", "attempts before the dead-letter queue", parse.int)
    .option("--timeout-ms <ms>", "time limit of one attempt", parse.int)
    .option("--visibility-timeout-ms <ms>", "extra time a lease lasts beyond the timeout", parse.int)
    .option("--backoff <json>", 'retry backoff, e.g. \'{"type":"exponential","baseMs":1000,"maxMs":60000}\'', parse.json)
    .addHelpText("after", examples("edgeq queues set emails --concurrency 20 --max-attempts 5"))
    .action(async (name: string, o, command: Command) => {
      const { client, out } = context(command);
      const settings = Object.fromEntries(
        Object.entries({ concurrency: o.concurrency, maxAttempts: o.maxAttempts, timeoutMs: o.timeoutMs, visibilityTimeoutMs: o.visibilityTimeoutMs, backoff: o.backoff }).filter(([, v]) => v !== undefined),
      ) as QueueSettings;
      if (Object.keys(settings).length === 0) throw new CliError("give at least one setting (edgeq queues set --help)", EXIT.usage);
      const q = await client.queues.set(name, settings);
      out.result(q, () => printQueue(out, q));
    });

  return queues;
}
