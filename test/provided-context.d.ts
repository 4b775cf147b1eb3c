// What test/global-setup.ts provides to every test project (`inject(...)`).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** `DATABASE_URL` for the Worker under test. */
    databaseUrl: string;
    /** `PG_WS_PROXY` for the Worker under test; empty when the database is reached directly. */
    pgWsProxy: string;
    /** Base URL of a loopback HTTP server the `http` handler's tests call. */
    httpTargetUrl: string;
    /** Which database a test project asks for: the embedded one or the server at TEST_DATABASE_URL. */
    database: "embedded" | "server";
    /** Set by a project that runs against Upstash's protocol (a bridge to REDIS_URL). */
    upstash?: boolean;
    upstashUrl: string;
    upstashToken: string;
  }
}
