import { actorOfKey } from "../core/job-events";
import type { TenantId } from "../core/tenancy";
import type { Context, MiddlewareHandler } from "hono";
import { keyPrefix, sha256 } from "../auth/api-key";
import { hexToBytes, sameDigest } from "../auth/constant-time";
import { allows, type Scope } from "../auth/scopes";
import type { Db } from "../db/client";
import { findApiKeyByPrefix, touchApiKey } from "../db/queries/api-keys";
import type { KeyWithTenant } from "../db/queries/api-keys";
import type { AppEnv, Principal } from "./app-env";
import { ApiError } from "./errors";

/** How long an isolate trusts a key row it read; revocation through this isolate is immediate. */
const KEY_CACHE_MS = 10_000;
/** `last_used_at` is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

/** Keys remembered per isolate; a flood of made-up prefixes evicts the oldest rather than growing memory. */
const CACHE_SIZE = 1000;
const cache = new Map<string, { row: KeyWithTenant | null; readAt: number; touchedAt: number }>();

export function forgetApiKey(prefix: string): void {
  cache.delete(prefix);
}

const unauthorized = (message: string) => new ApiError(401, "unauthorized", message, { scheme: "Bearer" }, { "WWW-Authenticate": 'Bearer realm="edgeq"' });

async function keyRow(db: Db, prefix: string, now: number) {
  const hit = cache.get(prefix);
  if (hit && now - hit.readAt < KEY_CACHE_MS) return hit;
  const entry = { row: await findApiKeyByPrefix(db, prefix), readAt: now, touchedAt: hit?.touchedAt ?? 0 };
  cache.delete(prefix);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(prefix, entry);
  return entry;
}

/** The bootstrap key's digest, computed once per isolate (and again only if the key changes). */
let bootstrapDigest: { key: string; digest: Uint8Array } | undefined;

async function digestOfBootstrap(key: string): Promise<Uint8Array> {
  if (bootstrapDigest?.key !== key) bootstrapDigest = { key, digest: await sha256(key) };
  return bootstrapDigest.digest;
}

async function authenticate(c: Parameters<MiddlewareHandler<AppEnv>>[0], presented: string): Promise<Principal> {
  const digest = await sha256(presented);
  const bootstrap = c.env.EDGEQ_ADMIN_KEY;
  if (bootstrap && sameDigest(digest, await digestOfBootstrap(bootstrap))) return { keyId: null, tenantId: null, tenantRequestsPerSecond: null, name: "bootstrap", scopes: ["admin"], rateLimit: null };
  const prefix = keyPrefix(presented);
  if (!prefix) throw unauthorized("the API key is not valid");
  const now = Date.now();
  const entry = await keyRow(c.var.db, prefix, now);
  const row = entry.row;
  if (!row || !sameDigest(digest, hexToBytes(row.keyHash))) throw unauthorized("the API key is not valid");
  if (row.revokedAt) throw unauthorized(`the API key ${row.prefix} was revoked`);
  if (now - entry.touchedAt >= TOUCH_EVERY_MS) {
    entry.touchedAt = now;
    await touchApiKey(c.var.db, row.id, new Date(now));
  }
  return {
    keyId: row.id,
    tenantId: row.tenantId,
    tenantRequestsPerSecond: row.tenantQuotas?.requestsPerSecond ?? null,
    name: row.name,
    scopes: row.scopes,
    rateLimit: row.rateLimit,
  };
}

/** Paths a browser opens as a WebSocket, which cannot carry headers: the key may come as `access_token`. */
const TOKEN_IN_QUERY = new Set(["/api/v1/events"]);

/** Requires `Authorization: Bearer <key>` and records who called. */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = TOKEN_IN_QUERY.has(c.req.path) ? c.req.query("access_token") : undefined;
  const header = c.req.header("authorization") ?? (token ? `Bearer ${token}` : undefined);
  if (!header) throw unauthorized("send an API key: Authorization: Bearer <key>");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized("the Authorization header must be 'Bearer <key>'");
  c.set("principal", await authenticate(c, match[1]!));
  await next();
};

/** Allows the request only when the caller's key holds `scope` (or a wider one). */
export const requireScope =
  (scope: Scope): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const principal = c.var.principal;
    if (!principal) throw unauthorized("send an API key: Authorization: Bearer <key>");
    if (!allows(principal.scopes, scope)) {
      throw new ApiError(403, "forbidden", `this key's scopes (${principal.scopes.join(", ")}) do not allow this; it needs '${scope}'`, {
        needed: scope,
        granted: principal.scopes,
      });
    }
    await next();
  };


/** Who the audit trail says made a change through this request: the calling key, by name. */
export function actorOf(c: Context<AppEnv>): string {
  return actorOfKey(c.var.principal?.name ?? "anonymous");
}

/** The caller's tenant; null: a platform key, which reaches every tenant. */
export function tenantOf(c: Context<AppEnv>): TenantId {
  return c.var.principal?.tenantId ?? null;
}

/** Tenants themselves are the platform's to manage. */
export function requirePlatform(c: Context<AppEnv>): void {
  if (tenantOf(c) !== null) throw new ApiError(403, "forbidden", "only a platform key (one of no tenant) may do this", { tenant: tenantOf(c) });
}
