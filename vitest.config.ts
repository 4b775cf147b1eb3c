import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Unit tests of the pure core run in Node. Integration tests run inside workerd (the real Worker,
 * Durable Objects with SQLite, the queue handler) against a real Postgres: the embedded one, and
 * also the server at TEST_DATABASE_URL when that is set (as in CI). The delivery tests run the
 * same Worker with its local Cloudflare Queue consumer live.
 */
const workers = (name: string, include: string, database: "embedded" | "server", liveQueue: boolean) => ({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: { DATABASE_URL: inject("databaseUrl"), PG_WS_PROXY: inject("pgWsProxy") },
        // Integration tests deliver batches to the queue handler themselves, so no delivery may race
        // them: the scheduler's sends go to a queue nobody consumes. The delivery project keeps
        // wrangler.toml's consumer live.
        ...(liveQueue ? {} : { queueProducers: { JOBS_QUEUE: { queueName: "edgeq-jobs-undelivered" } } }),
      },
    })),
  ],
  test: {
    name,
    include: [include],
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
      workers("integration", "test/integration/**/*.test.ts", "embedded", false),
      workers("delivery", "test/delivery/**/*.test.ts", "embedded", true),
      ...(process.env.TEST_DATABASE_URL ? [workers("integration-postgres", "test/integration/**/*.test.ts", "server", false)] : []),
    ],
  },
});
