import pg from "pg";

/**
 * The PostgreSQL server the comparison runs on: the machine's PostgreSQL binaries in a cluster of
 * the bench's own (run.ts starts it), since edgeq's single submits under load open more connections
 * than the shared server's 100, which would starve other users of it. COMPARE_PG_URL overrides.
 */
let serverUrl = process.env.COMPARE_PG_URL ?? "";

export function useServer(url: string): void {
  serverUrl = url;
}

/** Drops and creates a database of the bench's own (never `test`), and returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  if (!serverUrl) throw new Error("no PostgreSQL server chosen for the comparison");
  if (!/^edgeq_bench_[a-z_]+$/.test(name)) throw new Error(`refusing to recreate database ${name}`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
