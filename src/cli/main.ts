import { Command, CommanderError } from "commander";
import { EdgeqError } from "../client";
import { batchesCommand } from "./commands/batches";
import { dlqCommand } from "./commands/dlq";
import { healthCommand } from "./commands/health";
import { insightsCommand } from "./commands/insights";
import { jobsCommand } from "./commands/jobs";
import { keysCommand } from "./commands/keys";
import { tenantsCommand } from "./commands/tenants";
import { webhooksCommand, workersCommand } from "./commands/integrations";
import { queuesCommand } from "./commands/queues";
import { schedulesCommand } from "./commands/schedules";
import { tailCommand } from "./commands/tail";
import { examples } from "./context";
import { EXIT, EXIT_HELP, exitCodeFor } from "./exit-codes";

const CONFIG_HELP = `Configuration (first found wins):
  --url / --key flags · EDGEQ_URL / EDGEQ_KEY · the config file: --config, EDGEQ_CONFIG,
  or ~/.config/edgeq/config.json, holding {"url": "https://…", "key": "eq_…"}. The URL defaults to
  http://127.0.0.1:8787 (npm run dev).`;

function program(): Command {
  const edgeq = new Command("edgeq")
    .description("edgeq's command line: jobs, the dead-letter queue, queues, schedules, insights, keys and live events")
    .version("0.1.0")
    .option("--url <url>", "the API's origin (EDGEQ_URL)")
    .option("--key <key>", "an API key (EDGEQ_KEY)")
    .option("--config <file>", "a config file (EDGEQ_CONFIG)")
    .option("--json", "print JSON for scripts instead of tables")
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `${examples("export EDGEQ_URL=https://edgeq.example.workers.dev EDGEQ_KEY=eq_…", "edgeq jobs submit echo -p '{\"hi\":1}' --wait", "edgeq dlq list -q emails", "edgeq tail -t job.dead")}\n${CONFIG_HELP}\n\n${EXIT_HELP}\n`,
    );
  for (const command of [jobsCommand(), batchesCommand(), dlqCommand(), queuesCommand(), schedulesCommand(), insightsCommand(), keysCommand(), tenantsCommand(), webhooksCommand(), workersCommand(), tailCommand(), healthCommand()]) {
    edgeq.addCommand(command);
  }
  // Usage errors throw instead of exiting, at every level, so they map to exit code 2.
  const throwOnUsage = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(throwOnUsage);
  };
  throwOnUsage(edgeq);
  return edgeq;
}

/** Runs `edgeq` with `argv` (without node and script) and returns its exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "fail" with exit code 0; commander already printed what went wrong otherwise.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const code = exitCodeFor(error);
    if (error instanceof EdgeqError) {
      process.stderr.write(`error: ${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ""})\n`);
      if (Array.isArray(error.details)) for (const d of error.details as { path?: string; message?: string }[]) process.stderr.write(`  ${d.path || "-"}: ${d.message}\n`);
    } else if (error instanceof Error && error.message) {
      process.stderr.write(`error: ${error.message}\n`);
    }
    return code;
  }
}
