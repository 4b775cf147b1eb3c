import { Command } from "commander";
import { LIVE_EVENT_TYPES } from "../../live/events";
import type { LiveEvent } from "../../client";
import { context, examples, parse } from "../context";
import { CliError, EXIT } from "../exit-codes";

function describe(e: LiveEvent): string {
  const at = new Date(e.at).toISOString();
  switch (e.type) {
    case "job.completed":
      return `${at} completed ${e.queue} ${e.jobType} ${e.jobId} #${e.attempt} ${e.durationMs}ms`;
    case "job.failed":
      return `${at} failed    ${e.queue} ${e.jobType} ${e.jobId} #${e.attempt}: ${e.error} (retry ${new Date(e.retryAt).toISOString()})`;
    case "job.dead":
      return `${at} dead      ${e.queue} ${e.jobType} ${e.jobId} #${e.attempt}: ${e.error}`;
    case "queue.backlog":
      return `${at} backlog   ${e.queue} ready ${e.ready} delayed ${e.delayed} leased ${e.leased}${e.paused ? " (paused)" : ""}`;
    case "worker.batch":
      return `${at} batch     ${e.runner} ${e.jobs} jobs, ${e.completed} completed, ${e.failed} failed, ${e.durationMs}ms`;
    case "batch.completed":
      return `${at} batch done ${e.name} ${e.batchId}: ${e.total} jobs, ${Object.entries(e.counts).map(([s, n]) => `${n} ${s}`).join(", ")}`;
    case "worker.joined":
      return `${at} joined    ${e.workerId} ${e.name} on ${e.host ?? "?"} for ${e.queues.join(",")}`;
    case "worker.left":
      return `${at} left      ${e.workerId} ${e.name} (${e.reason})`;
  }
}

export function tailCommand(): Command {
  return new Command("tail")
    .description("follow live events (one line each; NDJSON with --json) until Ctrl-C or --count")
    .option("-q, --queue <names>", "only these queues (comma list)", parse.list)
    .option("-t, --type <types>", `only these events: ${LIVE_EVENT_TYPES.join(", ")}`, parse.list)
    .option("-c, --count <n>", "stop after this many events", parse.int)
    .addHelpText("after", examples("edgeq tail -q emails -t job.failed,job.dead", "edgeq tail --json | jq -c 'select(.type==\"job.dead\")'"))
    .action(async (o, command: Command) => {
      const { client, out, json } = context(command);
      const unknown = (o.type as string[] | undefined)?.filter((t) => !(LIVE_EVENT_TYPES as readonly string[]).includes(t)) ?? [];
      if (unknown.length > 0) throw new CliError(`unknown event type ${unknown.join(", ")}; expected ${LIVE_EVENT_TYPES.join(", ")}`, EXIT.usage);
      const abort = new AbortController();
      process.once("SIGINT", () => abort.abort());
      let seen = 0;
      const onOpen = () => process.stderr.write("listening for events…\n");
      for await (const event of client.tail({ queue: o.queue, type: o.type, signal: abort.signal, onOpen })) {
        out.line(json ? JSON.stringify(event) : describe(event));
        if (o.count !== undefined && ++seen >= o.count) abort.abort();
      }
    });
}
