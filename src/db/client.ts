import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import type { NeonQueryResultHKT } from "drizzle-orm/neon-serverless";
import type { PgDatabase } from "drizzle-orm/pg-core";

/**
 * The database or a transaction on it: queries take either. No relational schema is registered:
 * every query names its tables, and building drizzle's relational config costs CPU per request.
 */
export type Db = PgDatabase<NeonQueryResultHKT>;

export interface DbHandle {
  db: Db;
  /** Ends the pool; a Worker must do this before its request ends (I/O cannot cross requests). */
  close(): Promise<void>;
}

/** Points the Neon driver at a local WebSocket bridge instead of Neon's proxy, when one is configured. */
function configureDriver(wsProxy: string | undefined): void {
  if (!wsProxy) return;
  neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/** Opens a Postgres pool over WebSocket (Neon's driver) wrapped in drizzle. */
export function openDb(env: { DATABASE_URL: string; PG_WS_PROXY?: string }): DbHandle {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  configureDriver(env.PG_WS_PROXY);
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: 4 });
  // workerd reports a server's clean close of an idle connection as an error event; without a
  // listener the pool rethrows it as uncaught. Queries still get their own errors, so ignore it.
  pool.on("error", () => undefined);
  const db = drizzle({ client: pool });
  return { db, close: () => pool.end() };
}

/** Runs `fn` with a pool that is closed afterwards, whatever happens. */
export async function withDb<T>(env: { DATABASE_URL: string; PG_WS_PROXY?: string }, fn: (db: Db) => Promise<T>): Promise<T> {
  const handle = openDb(env);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
