import { Command, Option } from "commander";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "../../core/webhook-events";
import { context, examples, parse } from "../context";

/** `edgeq webhooks …`: subscriptions and their deliveries. */
export function webhooksCommand(): Command {
  const webhooks = new Command("webhooks").description("webhook subscriptions and their delivery logs");

  webhooks
    .command("list")
    .description("every subscription")
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.webhooks.list();
      out.result(list, () =>
        out.table(["ID", "URL", "EVENTS", "QUEUES", "ENABLED"], list.map((w) => [w.id, w.url, w.events.join(","), w.queues.join(",") || "(all)", w.enabled])),
      );
    });

  webhooks
    .command("create")
    .description("subscribe a URL; the signing secret is shown only this once")
    .argument("<url>", "where to POST events (public https)")
    .requiredOption("-e, --events <types>", `comma list of ${WEBHOOK_EVENT_TYPES.join(", ")}`, parse.list)
    .option("-q, --queue <names>", "only these queues (comma list)", parse.list)
    .option("--description <text>", "what it is for")
    .addHelpText("after", examples("edgeq webhooks create https://hooks.example.com/edgeq -e job.completed,job.dead -q emails"))
    .action(async (url: string, o, command: Command) => {
      const { client, out } = context(command);
      const hook = await client.webhooks.create({ url, events: o.events, queues: o.queue, description: o.description });
      out.result(hook, () => {
        out.line(hook.secret);
        process.stderr.write(`webhook ${hook.id}: keep the secret now, it is not shown again\n`);
      });
    });

  webhooks
    .command("delete")
    .description("delete a subscription and its delivery log")
    .argument("<id>", "the subscription's id")
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const hook = await client.webhooks.delete(id);
      out.result(hook, () => out.line(`deleted ${hook.id} (${hook.url})`));
    });

  webhooks
    .command("deliveries")
    .description("a subscription's deliveries, newest first")
    .argument("<id>", "the subscription's id")
    .addOption(new Option("-s, --status <status>", "only these").choices(DELIVERY_STATUSES))
    .option("-n, --limit <n>", "at most this many", parse.int)
    .action(async (id: string, o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.webhooks.deliveries(id, { status: o.status, limit: o.limit });
      out.result(list, () =>
        out.table(
          ["ID", "EVENT", "STATUS", "TRIES", "CODE", "MS", "LAST ERROR", "CREATED"],
          list.map((d) => [d.id, d.event, d.status, d.attempts, d.responseStatus, d.durationMs, d.lastError, d.createdAt]),
        ),
      );
    });

  webhooks
    .command("redeliver")
    .description("send a delivered or failed delivery again")
    .argument("<id>", "the subscription's id")
    .argument("<deliveryId>", "the delivery's id")
    .action(async (id: string, deliveryId: string, _o, command: Command) => {
      const { client, out } = context(command);
      const delivery = await client.webhooks.redeliver(id, deliveryId);
      out.result(delivery, () => out.line(`redelivering ${delivery.id}`));
    });

  return webhooks;
}

/** `edgeq workers list`: the pull-worker registry. */
export function workersCommand(): Command {
  const workers = new Command("workers").description("pull workers");
  workers
    .command("list")
    .description("workers heard from in the last minute")
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.workers.list();
      out.result(list, () =>
        out.table(
          ["ID", "NAME", "QUEUES", "HOST", "STARTED", "LAST HEARTBEAT", "RUNNING", "PROCESSED", "FAILED"],
          list.map((w) => [w.id, w.name, w.queues.join(","), w.host, w.startedAt, w.lastHeartbeatAt, w.currentJobs.length, w.processed, w.failed]),
        ),
      );
    });
  return workers;
}
