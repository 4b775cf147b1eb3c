/**
 * A small HTTP server on loopback for the tests of everything edgeq sends out (the `http` handler,
 * webhooks, endpoint handlers): the real request path, no mock. `/status/:code` answers with that
 * status (and `Retry-After` from `?retryAfter=`); `/echo` answers 200 with the request's method,
 * headers and body as JSON; `/flaky/:key?fail=N` answers 500 to the first N requests for a key,
 * then 200 with `{"received": n}`, keeping each request; `/log/:key` answers with the requests kept
 * for a key (headers and body, as received); `/slow?ms=N` answers 200 after N ms.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const kept = new Map<string, { headers: IncomingMessage["headers"]; body: string }[]>();

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const flaky = /^\/flaky\/([\w-]+)$/.exec(url.pathname);
  if (flaky) {
    const requests = kept.get(flaky[1]!) ?? [];
    requests.push({ headers: req.headers, body: await readBody(req) });
    kept.set(flaky[1]!, requests);
    const failing = requests.length <= Number(url.searchParams.get("fail") ?? 0);
    res.writeHead(failing ? 500 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(failing ? { error: "failing on purpose" } : { received: requests.length }));
    return;
  }
  const log = /^\/log\/([\w-]+)$/.exec(url.pathname);
  if (log) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(kept.get(log[1]!) ?? []));
    return;
  }
  if (url.pathname === "/slow") {
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get("ms") ?? 1000)));
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
    return;
  }
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) {
    const retryAfter = url.searchParams.get("retryAfter");
    res.writeHead(Number(status[1]), { "content-type": "text/plain", ...(retryAfter ? { "retry-after": retryAfter } : {}) });
    res.end(`status ${status[1]}`);
    return;
  }
  if (url.pathname === "/echo") {
    const body = await readBody(req);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ method: req.method, contentType: req.headers["content-type"] ?? null, token: req.headers["x-token"] ?? null, body }));
    return;
  }
  res.writeHead(404).end();
}

export async function startHttpTarget(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
