import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Unit tests of the pure core run in Node. Integration tests run inside workerd (the real Worker,
 * Durable Objects with SQLite, the queue handler) against a real Postgres: the embedded one, and
 * also the server at TEST_DATABASE_URL when that is set (as in CI). The delivery tests run the
 * same Worker with its local Cloudflare Queue consumer live. With REDIS_URL (as in CI) the Upstash
 * tests run the Worker against Upstash's REST protocol, served by a bridge to that Redis. The browser
 * tests drive the dashboard in Chromium against the whole local stack.
 */

/** The bootstrap admin key the tests call the API with (test/helpers/api.ts sends it). */
export const TEST_ADMIN_KEY = "test-bootstrap-admin-key";

/** Signs endpoint requests and callbacks in the Worker under test; tests verify with it. */
export const TEST_SIGNING_SECRET = "whsec_dGVzdC1zaWduaW5nLXNlY3JldC0wMTIzNDU2Nzg5YWI=";

interface WorkersProject {
  name: string;
  include: string;
  database: "embedded" | "server";
  liveQueue?: boolean;
  upstash?: boolean;
}

const workers = ({ name, include, database, liveQueue = false, upstash = false }: WorkersProject) => ({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          PG_WS_PROXY: inject("pgWsProxy"),
          EDGEQ_ADMIN_KEY: TEST_ADMIN_KEY,
          // Webhooks, callbacks and endpoints here reach the local HTTP target on loopback.
          EDGEQ_ALLOW_PRIVATE_WEBHOOKS: "true",
          EDGEQ_SIGNING_SECRET: TEST_SIGNING_SECRET,
          ...(upstash ? { UPSTASH_REDIS_REST_URL: inject("upstashUrl"), UPSTASH_REDIS_REST_TOKEN: inject("upstashToken") } : {}),
        },
        // Integration tests deliver batches to the queue handler themselves, so no delivery may race
        // them: the scheduler's sends go to a queue nobody consumes. The delivery project keeps
        // wrangler.toml's consumer live.
        ...(liveQueue
          ? {}
          : { queueProducers: { JOBS_QUEUE: { queueName: "edgeq-jobs-undelivered" }, WEBHOOKS_QUEUE: { queueName: "edgeq-webhooks-undelivered" } } }),
      },
    })),
  ],
  test: {
    name,
    include: [include],
    globalSetup: ["./test/global-setup.ts"],
    provide: { database, upstash },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      // The SDK, the CLI and the MCP endpoint, from outside, against one real dev stack.
      {
        test: {
          name: "clients",
          include: ["test/clients/**/*.test.ts"],
          environment: "node",
          globalSetup: ["./test/clients/dev-stack.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      workers({ name: "integration", include: "test/integration/**/*.test.ts", database: "embedded" }),
      workers({ name: "delivery", include: "test/delivery/**/*.test.ts", database: "embedded", liveQueue: true }),
      // The dashboard in Chromium against a dev stack of its own, started the same way.
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["./test/clients/dev-stack.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(process.env.TEST_DATABASE_URL ? [workers({ name: "integration-postgres", include: "test/integration/**/*.test.ts", database: "server" })] : []),
      ...(process.env.REDIS_URL ? [workers({ name: "upstash", include: "test/upstash/**/*.test.ts", database: "embedded", upstash: true })] : []),
    ],
  },
});
