import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { CliError, EXIT } from "./exit-codes";

/** The config file: `{"url": "...", "key": "..."}`; flags and the environment override it. */
const configFileSchema = z.strictObject({ url: z.url().optional(), key: z.string().min(1).optional() });

export interface GlobalOptions {
  url?: string;
  key?: string;
  config?: string;
  json?: boolean;
}

export interface Connection {
  url: string;
  key: string;
}

/** Where the config file is looked for: --config, then EDGEQ_CONFIG, then ~/.config/edgeq/config.json. */
export function configPath(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return options.config ?? env.EDGEQ_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "edgeq", "config.json");
}

function readConfigFile(path: string, required: boolean): z.output<typeof configFileSchema> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    if (required) throw new CliError(`cannot read the config file ${path}`, EXIT.usage);
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not JSON`, EXIT.usage);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "file"}: ${i.message}`).join("; ")}`, EXIT.usage);
  return parsed.data;
}

/** The API to call and the key to call it with: flags, then EDGEQ_URL / EDGEQ_KEY, then the config file. */
export function resolveConnection(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Connection {
  const file = readConfigFile(configPath(options, env), options.config !== undefined || env.EDGEQ_CONFIG !== undefined);
  const url = options.url ?? env.EDGEQ_URL ?? file.url ?? "http://127.0.0.1:8787";
  const key = options.key ?? env.EDGEQ_KEY ?? file.key;
  if (!key) throw new CliError("no API key: pass --key, set EDGEQ_KEY, or put \"key\" in the config file (edgeq --help)", EXIT.auth);
  return { url, key };
}
