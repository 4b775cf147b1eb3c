import { Command } from "commander";
import type { Tenant, TenantInput } from "../../client/types";
import { context, examples, parse } from "../context";

type Quotas = NonNullable<TenantInput["quotas"]>;

/** `--jobs-per-day 1000` and friends as a quotas object (absent options: no limit). */
function quotasOf(o: { jobsPerDay?: number; storedJobs?: number; queues?: number; rps?: number }): Quotas {
  return Object.fromEntries(
    Object.entries({ jobsPerDay: o.jobsPerDay, storedJobs: o.storedJobs, queues: o.queues, requestsPerSecond: o.rps }).filter(([, v]) => v !== undefined),
  ) as Quotas;
}

const quotaOptions = (c: Command) =>
  c
    .option("--jobs-per-day <n>", "jobs it may submit per UTC day", parse.int)
    .option("--stored-jobs <n>", "jobs it may keep stored", parse.int)
    .option("--queues <n>", "queues it may own", parse.int)
    .option("--rps <n>", "requests per second across its keys", parse.int);

const row = (t: Tenant) => [t.id, t.name, t.usage.storedJobs, t.usage.submittedToday, t.usage.queues, JSON.stringify(t.quotas)];
const HEADER = ["ID", "NAME", "STORED", "TODAY", "QUEUES", "QUOTAS"];

export function tenantsCommand(): Command {
  const tenants = new Command("tenants").description("tenants, their quotas and usage (making and changing them needs a platform key)");

  tenants
    .command("list")
    .description("every tenant with its usage")
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.tenants.list();
      out.result(list, () => out.table(HEADER, list.map(row)));
    });

  tenants
    .command("get")
    .description("one tenant's quotas and usage")
    .argument("<id>", "the tenant's id")
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const tenant = await client.tenants.get(id);
      out.result(tenant, () => out.table(HEADER, [row(tenant)]));
    });

  quotaOptions(
    tenants
      .command("create")
      .description("make a tenant; then make its keys with `edgeq keys create --tenant <id>`")
      .argument("<id>", "lowercase letters, digits and dashes")
      .option("--name <name>", "a display name (default: the id)"),
  )
    .addHelpText("after", examples("edgeq tenants create acme --name Acme --jobs-per-day 100000 --rps 200"))
    .action(async (id: string, o, command: Command) => {
      const { client, out } = context(command);
      const tenant = await client.tenants.create({ id, name: o.name ?? id, quotas: quotasOf(o) });
      out.result(tenant, () => out.line(`tenant ${tenant.id} made`));
    });

  quotaOptions(tenants.command("quotas").description("replace a tenant's quotas (options left out: no limit)").argument("<id>", "the tenant's id")).action(
    async (id: string, o, command: Command) => {
      const { client, out } = context(command);
      const tenant = await client.tenants.update(id, { quotas: quotasOf(o) });
      out.result(tenant, () => out.line(`tenant ${tenant.id}: ${JSON.stringify(tenant.quotas)}`));
    },
  );

  return tenants;
}
