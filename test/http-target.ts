/**
 * A small HTTP server on loopback for the `http` handler's tests: the real request path, no mock.
 * `/status/:code` answers with that status (and `Retry-After` from `?retryAfter=`); `/echo` answers
 * 200 with the request's method, headers and body as JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
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
