import pg from "pg";

/** The machine's PostgreSQL (never its `test` database): COMPARE_PG_URL names the server. */
export const serverUrl = process.env.COMPARE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Drops and creates a database of the bench's own, and returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
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
