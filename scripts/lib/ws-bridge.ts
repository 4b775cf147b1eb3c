/**
 * WebSocket-to-TCP bridge that lets the Neon serverless driver reach a local Postgres.
 *
 * The Neon driver never opens TCP itself: it opens a WebSocket to `neonConfig.wsProxy` and speaks the
 * Postgres wire protocol inside binary frames. This bridge is the local stand-in for Neon's proxy:
 * `ws://HOST:PORT/v1?address=pghost:pgport` opens a TCP socket to that address and pipes bytes both
 * ways. It only dials loopback addresses, because it is a development tool and must not become an
 * open relay.
 */
import { createServer, type IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { BlockList, connect, isIP, type AddressInfo, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type * as WsModule from "ws";

// Loaded through Node's resolver: under the Cloudflare vitest plugin (the tests' global setup), Vite
// resolves packages with the "browser" condition, which maps `ws` to a stub without a server.
const { WebSocketServer, createWebSocketStream } = createRequire(import.meta.url)("ws") as typeof WsModule;

/** Options for {@link startWsBridge}. */
export interface WsBridgeOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; defaults to 127.0.0.1. */
  host?: string;
}

/** A running bridge. */
export interface WsBridge {
  port: number;
  /** The value for the Worker's `PG_WS_PROXY`, e.g. `127.0.0.1:54330/v1`. */
  url: string;
  /** Stops accepting connections and tears down every open tunnel. */
  close(): Promise<void>;
}

const BRIDGE_PATH = "/v1";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");
loopback.addSubnet("::ffff:127.0.0.0", 104, "ipv6");

/** True when `host` (a name or an IP, IPv6 with or without brackets) is a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost") return true;
  const family = isIP(bare);
  if (family === 0) return false;
  return loopback.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/** Parses `host:port` (IPv6 hosts may be bracketed or not) from the `address` query parameter. */
function parseTarget(address: string | null): { host: string; port: number } | undefined {
  if (!address) return undefined;
  const colon = address.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** Answers a refused upgrade with a plain HTTP status, since no WebSocket exists yet. */
function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Pipes one accepted WebSocket to a new TCP connection. `pipe` gives backpressure both ways (a full
 * TCP buffer pauses reading the WebSocket and vice versa) and turns a clean end on one side into a
 * clean end on the other, as Neon's proxy does: when Postgres hangs up after Terminate, the client
 * gets a close frame. Only a failure tears both sides down at once.
 */
function tunnel(ws: WsModule.WebSocket, target: { host: string; port: number }, open: Set<Socket>): void {
  const wsStream = createWebSocketStream(ws);
  const tcp = connect({ host: target.host, port: target.port, noDelay: true });
  open.add(tcp);
  tcp.once("close", () => open.delete(tcp));
  let connected = false;
  tcp.once("connect", () => (connected = true));

  wsStream.pipe(tcp);
  tcp.pipe(wsStream);
  wsStream.on("error", () => tcp.destroy());
  tcp.on("error", (error) => {
    // The driver only sees its WebSocket close ("Connection terminated unexpectedly"), so say here
    // why: usually the database is not running.
    if (!connected) console.warn(`[ws-bridge] cannot reach ${target.host}:${target.port}: ${error.message}`);
    wsStream.destroy();
  });
}

/** Starts the bridge; resolves once it is listening. */
export async function startWsBridge(options: WsBridgeOptions = {}): Promise<WsBridge> {
  const host = options.host ?? "127.0.0.1";
  const open = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => {
    res.writeHead(426, { "Content-Type": "text/plain" }).end("WebSocket upgrade required\n");
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://bridge");
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, "Not Found");
    const target = parseTarget(url.searchParams.get("address"));
    if (!target) return refuse(socket, 400, "Bad Request");
    if (!isLoopbackHost(target.host)) return refuse(socket, 403, "Forbidden");
    wss.handleUpgrade(req, socket, head, (ws) => tunnel(ws, target, open));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;

  return {
    port,
    url: `${urlHost}:${port}${BRIDGE_PATH}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      for (const tcp of open) tcp.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
