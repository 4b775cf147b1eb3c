import { Command } from "commander";
import { context, examples } from "../context";
import { CliError, EXIT } from "../exit-codes";

export function healthCommand(): Command {
  return new Command("health")
    .description("whether the API's database and scheduler answer (exit 1 when not)")
    .addHelpText("after", examples("edgeq health || page-someone"))
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const health = await client.health();
      out.result(health, () => out.fields({ status: health.status, postgres: `${health.postgres.ok ? "ok" : health.postgres.error} (${health.postgres.latencyMs} ms)`, scheduler: `${health.scheduler.ok ? "ok" : health.scheduler.error} (${health.scheduler.latencyMs} ms)` }));
      if (health.status !== "ok") throw new CliError("", EXIT.failure);
    });
}
