import { inArray } from "drizzle-orm";
import type { RatePolicy } from "../core/rate-window";
import { withDb } from "../db/client";
import { rateLimitKeys } from "../db/schema";
import type { Env } from "../env";

/** How long a scheduler trusts what it read of a key's limit; a change takes effect within this. */
const TTL_MS = 5000;
const cache = new Map<string, { policy: RatePolicy | null; until: number }>();

/** The limits of these rate-limit keys (null: none set, not limited), from Postgres through a short cache. */
export async function keyPolicies(env: Env, keys: string[]): Promise<Map<string, RatePolicy | null>> {
  const now = Date.now();
  const out = new Map<string, RatePolicy | null>();
  const missing: string[] = [];
  for (const key of keys) {
    const hit = cache.get(key);
    if (hit && hit.until > now) out.set(key, hit.policy);
    else missing.push(key);
  }
  if (missing.length === 0) return out;
  const rows = await withDb(env, (db) => db.select().from(rateLimitKeys).where(inArray(rateLimitKeys.key, missing)));
  const found = new Map(rows.map((r) => [r.key, { limit: r.limit, periodMs: r.periodMs }]));
  for (const key of missing) {
    const policy = found.get(key) ?? null;
    cache.set(key, { policy, until: now + TTL_MS });
    out.set(key, policy);
  }
  return out;
}

/** Forgets a key's cached limit in this isolate, after it was changed here. */
export function forgetKeyPolicy(key: string): void {
  cache.delete(key);
}
