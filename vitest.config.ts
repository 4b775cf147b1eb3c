import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Unit tests of the pure core run in Node. Integration tests run inside workerd (the real Worker,
 * Durable Objects with SQLite, the queue handler) against a real Postgres: the embedded one, and
 * also the server at TEST_DATABASE_URL when that is set (as in CI).
 */
const integration = (name: string, database: "embedded" | "server") => ({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: { DATABASE_URL: inject("databaseUrl"), PG_WS_PROXY: inject("pgWsProxy") },
        // Tests deliver batches to the queue handler themselves, so no delivery may race them: the
        // scheduler's sends go to a queue nobody consumes (wrangler.toml's consumer stays idle).
        queueProducers: { JOBS_QUEUE: { queueName: "edgeq-jobs-undelivered" } },
      },
    })),
  ],
  test: {
    name,
    include: ["test/integration/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    provide: { database },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      integration("integration", "embedded"),
      ...(process.env.TEST_DATABASE_URL ? [integration("integration-postgres", "server")] : []),
    ],
  },
});
