import type { Db } from "../db/client";
import type { Env } from "../env";

/** Hono's typed context for every route: bindings, and the request's database. */
export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db };
}
