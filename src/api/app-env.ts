import type { Scope } from "../auth/scopes";
import type { TenantId } from "../core/tenancy";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { LimitPolicy } from "../ratelimit/limiter";

/** Who is calling: the key's id (null for the bootstrap key), name, scopes and tenant. */
export interface Principal {
  keyId: string | null;
  /** The tenant whose data the key reaches; null: a platform key. */
  tenantId: TenantId;
  /** The tenant's requests-per-second quota, shared by all its keys. */
  tenantRequestsPerSecond: number | null;
  name: string;
  scopes: readonly Scope[];
  /** This key's own request limit, if it has one. */
  rateLimit: LimitPolicy | null;
}

/** Hono's typed context for every route: bindings, the request's database, and its caller. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    requestId: string;
    principal?: Principal;
    /** Work off the answer's path (webhooks) that may use `db`: the pool closes once it settles. */
    defer: (work: Promise<void>) => void;
  };
}
