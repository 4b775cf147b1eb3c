import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { withDb, type Db } from "../../src/db/client";

/** Runs `fn` against the test database, as the Worker would. */
export function db<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return withDb(env, fn);
}

/** How many jobs a queue holds in Postgres, by any state. */
export async function jobCount(queue: string): Promise<number> {
  return db(async (d) => {
    const r = await d.execute(sql`select count(*)::int as n from jobs where queue = ${queue}`);
    return (r.rows[0] as { n: number }).n;
  });
}
