import { createWriteStream } from "node:fs";
import { Command } from "commander";
import type { DlqListQuery } from "../../client";
import { context, examples, parse } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { progressBar } from "../progress";
import { collect, jobTable } from "./jobs";

const PAGE = 500;

/** The filter options `dlq list`, `retry` and `export` share. */
function filters(command: Command): Command {
  return command
    .option("-q, --queue <name>", "only this queue")
    .option("-t, --type <type>", "only this type")
    .option("--error <text>", "only jobs whose error contains this")
    .option("--since <time>", "dead since this ISO 8601 time")
    .option("--until <time>", "dead before this ISO 8601 time");
}

const filterOf = (o: Record<string, string | undefined>) => ({ queue: o.queue, type: o.type, error: o.error, since: o.since, until: o.until });

export function dlqCommand(): Command {
  const dlq = new Command("dlq").description("the dead-letter queue: jobs whose retries ran out");

  filters(dlq.command("list").description("list dead jobs, newest first"))
    .option("-n, --limit <n>", "jobs per page", parse.int, 50)
    .option("-a, --all", "every page")
    .addHelpText("after", examples("edgeq dlq list -q emails", "edgeq dlq list --error timeout --json"))
    .action(async (o, command: Command) => {
      const { client, out } = context(command);
      const page = await collect(client.dlq.list({ ...filterOf(o), limit: o.limit }), o.all === true);
      out.result(page, () => jobTable(out, page.jobs));
    });

  filters(dlq.command("retry").description("retry dead jobs by id, or every dead job matching the filters (with a progress bar)"))
    .argument("[ids...]", "job ids (or use the filters)")
    .addHelpText("after", examples("edgeq dlq retry 0b6c… 7f1e…", "edgeq dlq retry --queue emails --error 'rate limit'"))
    .action(async (ids: string[], o, command: Command) => {
      const { client, out, json } = context(command);
      const filter = filterOf(o);
      if (ids.length > 0) {
        const result = await client.dlq.retry({ ids });
        return out.result(result, () => out.line(`retried ${result.retried} of ${ids.length}`));
      }
      if (Object.values(filter).every((v) => v === undefined)) throw new CliError("give job ids, or a filter (--queue, --type, --error, --since, --until)", EXIT.usage);
      const bar = progressBar("retrying", 0, json);
      let retried = 0;
      try {
        for (let more = true; more; ) {
          const result = await client.dlq.retry({ filter, limit: PAGE });
          retried += result.retried;
          bar.setTotal(retried + (result.more ? PAGE : 0));
          bar.increment(result.retried);
          more = result.more;
        }
      } finally {
        bar.stop();
      }
      out.result({ retried }, () => out.line(`retried ${retried} dead jobs`));
    });

  dlq
    .command("delete")
    .description("delete dead jobs for good")
    .argument("<ids...>", "job ids")
    .addHelpText("after", examples("edgeq dlq delete 0b6c…"))
    .action(async (ids: string[], _o, command: Command) => {
      const { client, out } = context(command);
      const deleted: string[] = [];
      for (const id of ids) deleted.push((await client.dlq.delete(id)).id);
      out.result({ deleted }, () => deleted.forEach((id) => out.line(`deleted ${id}`)));
    });

  filters(dlq.command("export").description("write every matching dead job as NDJSON (one job per line) to a file or stdout"))
    .option("-o, --out <file>", "write here instead of stdout")
    .addHelpText("after", examples("edgeq dlq export -q emails -o dead-emails.ndjson", "edgeq dlq export | jq -c .error"))
    .action(async (o, command: Command) => {
      const { client } = context(command);
      const query: DlqListQuery = { ...filterOf(o), limit: PAGE };
      const sink = o.out ? createWriteStream(o.out) : process.stdout;
      const bar = progressBar("exporting", 0, !o.out);
      let count = 0;
      try {
        for await (const page of client.dlq.list(query)) {
          for (const job of page.jobs) sink.write(`${JSON.stringify(job)}\n`);
          count += page.jobs.length;
          bar.setTotal(count + (page.nextCursor ? PAGE : 0));
          bar.increment(page.jobs.length);
        }
      } finally {
        bar.stop();
        if (o.out) await new Promise<void>((resolve, reject) => (sink as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())));
      }
      if (o.out) process.stderr.write(`exported ${count} dead jobs to ${o.out}\n`);
    });

  return dlq;
}
