import { Command, Option } from "commander";
import { SCOPES } from "../../auth/scopes";
import { context, examples, parse } from "../context";

export function keysCommand(): Command {
  const keys = new Command("keys").description("API keys (needs an admin key)");

  keys
    .command("list")
    .description("every key, without the keys themselves")
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.keys.list();
      out.result(list, () =>
        out.table(["ID", "NAME", "TENANT", "PREFIX", "SCOPES", "LAST USED", "REVOKED"], list.map((k) => [k.id, k.name, k.tenant ?? "(platform)", k.prefix, k.scopes.join(","), k.lastUsedAt, k.revokedAt])),
      );
    });

  keys
    .command("create")
    .description("make a key; it is shown only this once")
    .argument("<name>", "what the key is for")
    .addOption(new Option("-s, --scope <scope>", "read, producer or admin").choices(SCOPES).default("read"))
    .option("--rate-limit <n/ms>", "this key's own limit, requests per window: 100/60000", (v) => {
      const [limit, windowMs] = v.split("/").map((x) => parse.int(x));
      return { limit: limit!, windowMs: windowMs! };
    })
    .option("--tenant <id>", "the tenant the key belongs to (a platform key's choice; without it, a platform key)")
    .addHelpText("after", examples("edgeq keys create ci-producer --scope producer", "edgeq keys create dashboard --scope read --json | jq -r .key", "edgeq keys create acme-admin --scope admin --tenant acme"))
    .action(async (name: string, o, command: Command) => {
      const { client, out } = context(command);
      const key = await client.keys.create({ name, scopes: [o.scope], rateLimit: o.rateLimit, tenant: o.tenant });
      out.result(key, () => {
        out.line(key.key);
        process.stderr.write(`key ${key.id} (${key.scopes.join(",")}): keep it now, it is not shown again\n`);
      });
    });

  keys
    .command("revoke")
    .description("revoke a key")
    .argument("<id>", "the key's id")
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const key = await client.keys.revoke(id);
      out.result(key, () => out.line(`revoked ${key.id} (${key.name})`));
    });

  return keys;
}
