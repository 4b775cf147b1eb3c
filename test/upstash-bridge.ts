/**
 * A small server speaking Upstash's REST protocol in front of a real Redis, so the Upstash code
 * paths (@upstash/redis, @upstash/ratelimit) run in tests against the machine's Redis:
 * `POST /` with `["CMD", ...args]`, `POST /pipeline` and `POST /multi-exec` with a list of those,
 * a bearer token, and base64-encoded strings when the client sends `Upstash-Encoding: base64`.
 * Upstash accepts a script flag open-source Redis 7.0 does not (`allow-key-locking`): the bridge
 * drops it and answers to the client's script hash, so EVALSHA behaves as on Upstash.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";

type Reply = string | number | null | Reply[];

function encode(value: unknown, base64: boolean): Reply {
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  if (typeof value === "string") return base64 ? Buffer.from(value, "utf8").toString("base64") : value;
  if (typeof value === "number" || value === null) return value;
  if (typeof value === "bigint") return Number(value);
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  return String(value);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startUpstashBridge(redisUrl: string, token: string): Promise<{ url: string; token: string; close(): Promise<void> }> {
  const redis = createClient({ url: redisUrl });
  redis.on("error", () => undefined);
  await redis.connect();
  /** The client's hash of a script (with Upstash's flags) → the hash Redis knows it by. */
  const scripts = new Map<string, string>();
  const load = async (script: string) => {
    const real = String(await redis.sendCommand(["SCRIPT", "LOAD", script.replace(/^#!lua flags=[^\n]*/, "#!lua")]));
    const theirs = createHash("sha1").update(script).digest("hex");
    scripts.set(theirs, real);
    return { theirs, real };
  };
  const run = async (command: unknown[]): Promise<unknown> => {
    const [name = "", ...args] = command.map(String);
    const upper = name.toUpperCase();
    if (upper === "EVAL") return redis.sendCommand(["EVALSHA", (await load(args[0]!)).real, ...args.slice(1)]);
    if (upper === "SCRIPT" && args[0]?.toUpperCase() === "LOAD") return (await load(args[1]!)).theirs;
    if (upper === "EVALSHA") {
      const real = scripts.get(args[0]!.toLowerCase());
      if (!real) throw new Error("NOSCRIPT No matching script. Please use EVAL.");
      return redis.sendCommand(["EVALSHA", real, ...args.slice(1)]);
    }
    return redis.sendCommand([name, ...args]);
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    try {
      const body = await readBody(req);
      const path = new URL(req.url ?? "/", "http://bridge").pathname;
      if (path === "/pipeline" || path === "/multi-exec") {
        const commands = body as unknown[][];
        if (path === "/multi-exec") {
          const multi = redis.multi();
          // Scripts inside a transaction are loaded first, so the transaction runs them by their Redis hash.
          for (const c of commands) {
            const [name = "", ...args] = c.map(String);
            if (name.toUpperCase() === "EVAL") multi.addCommand(["EVALSHA", (await load(args[0]!)).real, ...args.slice(1)]);
            else if (name.toUpperCase() === "EVALSHA") multi.addCommand(["EVALSHA", scripts.get(args[0]!.toLowerCase()) ?? args[0]!, ...args.slice(1)]);
            else multi.addCommand([name, ...args]);
          }
          const replies = await multi.exec();
          return send(200, replies.map((r) => ({ result: encode(r, base64) })));
        }
        const out = [];
        for (const c of commands) {
          try {
            out.push({ result: encode(await run(c), base64) });
          } catch (error) {
            out.push({ error: (error as Error).message });
          }
        }
        return send(200, out);
      }
      return send(200, { result: encode(await run(body as unknown[]), base64) });
    } catch (error) {
      return send(400, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis.quit().catch(() => undefined);
    },
  };
}
