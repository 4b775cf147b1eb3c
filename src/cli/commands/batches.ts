import { Command } from "commander";
import type { JobBatch } from "../../client";
import { context, examples } from "../context";
import { CliError, EXIT } from "../exit-codes";
import type { Output } from "../output";
import { readJobs } from "./jobs";

/** The most jobs one batch takes (the API refuses more). */
const MAX_JOBS = 10_000;

const printBatch = (out: Output, b: JobBatch) =>
  out.fields({
    id: b.id,
    name: b.name,
    total: b.total,
    counts: b.counts,
    progress: `${Math.round(b.progress * 100)}%`,
    completed: b.completed ? "yes" : "no",
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
    callbackUrl: b.callbackUrl,
  });

export function batchesCommand(): Command {
  const batches = new Command("batches").description("named batches of up to 10,000 jobs, tracked to their completion");

  batches
    .command("submit")
    .description("submit the jobs of an NDJSON file (one job object per line) as one batch, all or nothing")
    .argument("<name>", "the batch's name")
    .requiredOption("-f, --file <path>", "NDJSON jobs, or - for stdin")
    .option("-q, --queue <name>", "the queue of jobs that name none")
    .option("--callback-url <url>", "stored with the batch, for its completion callback")
    .addHelpText("after", examples("edgeq batches submit march-invoices --file invoices.ndjson --queue billing", "cat jobs.ndjson | edgeq batches submit nightly -f - --json"))
    .action(async (name: string, o, command: Command) => {
      const { client, out } = context(command);
      const jobs = readJobs(o.file);
      if (jobs.length === 0) throw new CliError(`${o.file} holds no jobs`, EXIT.usage);
      if (jobs.length > MAX_JOBS) throw new CliError(`${o.file} holds ${jobs.length} jobs; a batch takes at most ${MAX_JOBS}`, EXIT.usage);
      const batch = await client.batches.submit({ name, queue: o.queue, callbackUrl: o.callbackUrl, jobs });
      out.result(batch, () => out.line(`batch ${batch.id}: ${batch.total} jobs submitted${batch.existing > 0 ? `, ${batch.existing} already existed` : ""}`));
    });

  batches
    .command("get")
    .description("a batch's jobs by state, progress, and when it finished")
    .argument("<id>", "the batch id")
    .addHelpText("after", examples("edgeq batches get 0198c1e2-…", "edgeq batches get 0198c1e2-… --json | jq .progress"))
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const batch = await client.batches.get(id);
      out.result(batch, () => printBatch(out, batch));
    });

  return batches;
}
