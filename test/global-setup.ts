/**
 * Vitest global setup: gives the whole test run one migrated Postgres and tells the Workers under
 * test how to reach it (`inject("databaseUrl")`, `inject("pgWsProxy")`).
 *
 * With `TEST_DATABASE_URL` (a real server, as in CI) a fresh database is created on that server and
 * dropped afterwards, so runs never see each other's rows. Without it, an in-memory embedded PGlite
 * serves the run, so `npm test` needs nothing but Node.
 */
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { isLocalDatabaseUrl } from "../scripts/lib/local-database";
import { migrateDatabase, openNodePool } from "../scripts/lib/migrate";
import { startWsBridge } from "../scripts/lib/ws-bridge";
import { startHttpTarget } from "./http-target";
import { startUpstashBridge } from "./upstash-bridge";


/** A database created for this run on the server at `serverUrl`, and how to drop it. */
async function createScratchDatabase(
  serverUrl: string,
  wsProxy: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `edgeq_test_${process.pid}_${Date.now()}`;
  const admin = openNodePool(serverUrl, { wsProxy });
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const pool = openNodePool(serverUrl, { wsProxy });
      try {
        // FORCE ends connections the Workers under test may still hold open.
        await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await pool.end();
      }
    },
  };
}

/**
 * Starts the database for the run; the returned function is vitest's teardown. A project that
 * provides `database: "server"` (see vitest.config.ts) uses TEST_DATABASE_URL, the others PGlite.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wantsServer = (project.config.provide as { database?: string } | undefined)?.database === "server";
  const serverUrl = wantsServer ? process.env.TEST_DATABASE_URL : undefined;
  if (wantsServer && !serverUrl) throw new Error("this test project needs TEST_DATABASE_URL");
  const teardown: Array<() => Promise<void>> = [];
  // Every step runs even if an earlier one fails, so nothing is left listening.
  const runTeardown = async (): Promise<void> => {
    let failure: unknown;
    for (const step of teardown.splice(0)) {
      try {
        await step();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  };

  try {
    const needsBridge = serverUrl ? isLocalDatabaseUrl(serverUrl) : true;
    const bridge = needsBridge ? await startWsBridge() : undefined;
    if (bridge) teardown.push(() => bridge.close());
    const wsProxy = bridge?.url ?? "";
    let databaseUrl: string;
    if (serverUrl) {
      const scratch = await createScratchDatabase(serverUrl, wsProxy);
      // The drop goes through the bridge, so it runs before the bridge closes.
      teardown.unshift(() => scratch.drop());
      databaseUrl = scratch.url;
    } else {
      const embedded = await startEmbeddedPostgres();
      teardown.push(() => embedded.close());
      databaseUrl = embedded.url;
    }
    await migrateDatabase(databaseUrl, { wsProxy });
    project.provide("databaseUrl", databaseUrl);
    project.provide("pgWsProxy", wsProxy);
    const target = await startHttpTarget();
    teardown.push(() => target.close());
    project.provide("httpTargetUrl", target.url);
    if ((project.config.provide as { upstash?: boolean } | undefined)?.upstash) {
      if (!process.env.REDIS_URL) throw new Error("this test project needs REDIS_URL");
      const upstash = await startUpstashBridge(process.env.REDIS_URL, `test-${process.pid}`);
      teardown.push(() => upstash.close());
      project.provide("upstashUrl", upstash.url);
      project.provide("upstashToken", upstash.token);
    }
  } catch (error) {
    await runTeardown();
    throw error;
  }
  return runTeardown;
}
