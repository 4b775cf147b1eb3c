import type { Scope } from "../auth/scopes";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { LimitPolicy } from "../ratelimit/limiter";

/** Who is calling: the key's id (null for the bootstrap key), name and scopes. */
export interface Principal {
  keyId: string | null;
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
