/**
 * `npm run db:migrate`: applies the migrations to `DATABASE_URL` (Neon before a deploy, or a local
 * PostgreSQL, reached through a temporary WebSocket bridge as the Worker would reach it).
 */
import { isLocalDatabaseUrl } from "./lib/local-database";
import { migrateDatabase } from "./lib/migrate";
import { startWsBridge } from "./lib/ws-bridge";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "DATABASE_URL is not set. Run e.g. `DATABASE_URL=postgres://user:pass@host/db npm run db:migrate`.\n" +
      "(`npm run dev` migrates its embedded database by itself.)",
  );
  process.exit(1);
}

const bridge = isLocalDatabaseUrl(url) ? await startWsBridge() : undefined;
try {
  await migrateDatabase(url, { wsProxy: bridge?.url });
  console.log(`Migrations applied to ${new URL(url).host}${new URL(url).pathname}.`);
} catch (error) {
  console.error("Migration failed:", error);
  process.exitCode = 1;
} finally {
  await bridge?.close();
}
