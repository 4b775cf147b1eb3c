/**
 * Applies the drizzle-kit migrations in `migrations/` through the same driver path the Worker uses
 * (Neon's `Pool` over WebSocket, through the local bridge when one is given), so a database that
 * migrates here is one the Worker can talk to.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import type WebSocket from "ws";

// Loaded through Node's resolver: under the Cloudflare vitest plugin (the tests' global setup), Vite
// resolves packages with the "browser" condition, which maps `ws` to a stub that throws.
const ws = createRequire(import.meta.url)("ws") as typeof WebSocket;

/** Options shared by {@link openNodePool} and {@link migrateDatabase}. */
export interface DriverOptions {
  /** `PG_WS_PROXY` value (e.g. `127.0.0.1:54330/v1`); empty or omitted means connect as to Neon. */
  wsProxy?: string;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Opens a Neon `Pool` from Node, configured exactly as the Worker configures it. Node has no global
 * WebSocket the driver can use with a proxy, hence the `ws` package. The driver's settings are
 * process-wide, so they are set (or put back to Neon's defaults) on every call.
 */
export function openNodePool(url: string, options: DriverOptions = {}): Pool {
  neonConfig.webSocketConstructor = ws;
  const proxy = options.wsProxy;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  } else {
    neonConfig.wsProxy = neonConfig.defaults.wsProxy;
    neonConfig.useSecureWebSocket = neonConfig.defaults.useSecureWebSocket;
    neonConfig.pipelineTLS = neonConfig.defaults.pipelineTLS;
    neonConfig.pipelineConnect = neonConfig.defaults.pipelineConnect;
  }
  return new Pool({ connectionString: url, max: 4 });
}

/**
 * Brings the database at `url` up to the latest migration. Idempotent: drizzle records applied
 * migrations in `drizzle.__drizzle_migrations` and skips them.
 */
export async function migrateDatabase(url: string, options: DriverOptions = {}): Promise<void> {
  const pool = openNodePool(url, options);
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await pool.end();
  }
}
