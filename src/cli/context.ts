import { InvalidArgumentError, type Command } from "commander";
import { EdgeqClient } from "../client";
import { parseDuration } from "../core/duration";
import { resolveConnection, type GlobalOptions } from "./config";
import { Output } from "./output";

/** What every command needs: the client, the output, and whether output is JSON. */
export function context(command: Command) {
  const options = command.optsWithGlobals<GlobalOptions>();
  const connection = resolveConnection(options);
  return { client: new EdgeqClient(connection), out: new Output(options.json === true), json: options.json === true };
}

/** Commander argument parsers that reject bad values as usage errors. */
export const parse = {
  int(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError("expected a whole number");
    return n;
  },
  json(value: string): unknown {
    try {
      return JSON.parse(value);
    } catch {
      throw new InvalidArgumentError("expected JSON, e.g. '{\"to\":\"a@example.com\"}'");
    }
  },
  durationMs(value: string): number {
    const ms = /^\d+$/.test(value) ? Number(value) * 1000 : parseDuration(value);
    if (ms === null) throw new InvalidArgumentError('expected seconds or a duration such as "500ms", "30s", "5m"');
    return ms;
  },
  list(value: string, previous: string[] = []): string[] {
    return [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];
  },
};

/** Examples for a command's `--help`. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
