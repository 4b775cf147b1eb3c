/**
 * One call that yields a migrated database the Worker can reach, whatever the setup: the embedded
 * PGlite by default, a local PostgreSQL (through the WebSocket bridge), or Neon itself. Used by
 * `npm run dev`, the tests and the benchmarks.
 */
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { migrateDatabase } from "./migrate";
import { isLoopbackHost, startWsBridge, type WsBridge } from "./ws-bridge";

/** Options for {@link startLocalDatabase}. */
export interface LocalDatabaseOptions {
  /** Use this database instead of the embedded one; a loopback host gets a bridge, others none. */
  databaseUrl?: string;
  /** Persist the embedded database here; omitted means in memory. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** Port of the embedded database; 0 or omitted picks a free one. */
  pgPort?: number;
  /** Port of the WebSocket bridge; 0 or omitted picks a free one. */
  bridgePort?: number;
}

/** A migrated database and how the Worker reaches it. */
export interface LocalDatabase {
  /** The Worker's `DATABASE_URL`. */
  databaseUrl: string;
  /** The Worker's `PG_WS_PROXY`; empty when the database is reached directly (Neon). */
  wsProxy: string;
  /** Stops whatever was started here (bridge, embedded database); an outside database is left as is. */
  close(): Promise<void>;
}

/** True when the Postgres URL names this machine, which the Neon driver reaches only through the bridge. */
export function isLocalDatabaseUrl(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}

/** Starts what the chosen database needs, applies the migrations, and returns the Worker's settings. */
export async function startLocalDatabase(options: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let bridge: WsBridge | undefined;
  const close = async (): Promise<void> => {
    await bridge?.close();
    await embedded?.close();
  };

  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.pgPort });
      databaseUrl = embedded.url;
    }
    if (isLocalDatabaseUrl(databaseUrl)) bridge = await startWsBridge({ port: options.bridgePort });
    const wsProxy = bridge?.url ?? "";
    await migrateDatabase(databaseUrl, { wsProxy });
    return { databaseUrl, wsProxy, close };
  } catch (error) {
    await close();
    throw error;
  }
}
