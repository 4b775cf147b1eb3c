/**
 * `npm run dev`: the whole of edgeq on one machine, with no account, network or Docker.
 *
 * Starts the database (embedded PGlite persisted in `.edgeq/pgdata`, or `DATABASE_URL` when set),
 * the WebSocket bridge the Worker's Neon driver needs for a local database, applies the migrations,
 * runs `wrangler dev --local`, and fires the Worker's cron every minute, since wrangler does not fire
 * cron triggers locally. Ctrl-C stops wrangler and closes the database cleanly so its data survives.
 *
 * Environment: PORT (API, 8787), DATABASE_URL, EDGEQ_PG_PORT (54329), EDGEQ_BRIDGE_PORT (54330),
 * EDGEQ_CRON_EVERY_MS (60000; 0 turns the ticks off), EDGEQ_ALLOW_PRIVATE_WEBHOOKS ("true" unless set),
 * EDGEQ_SIGNING_SECRET (signs endpoint requests and callbacks; made on first run and kept beside the
 * admin key unless set),
 * EDGEQ_STATE_DIR (where the embedded database and wrangler's local state live; default `.edgeq` for the
 * database and wrangler's own `.wrangler/state`; the client tests point it at a temporary directory).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { localAdminKey, localSigningSecret } from "./lib/local-admin-key";
import { isLocalDatabaseUrl, startLocalDatabase, type LocalDatabase } from "./lib/local-database";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STATE_DIR = process.env.EDGEQ_STATE_DIR || undefined;
const DATA_DIR = join(STATE_DIR ?? join(ROOT, ".edgeq"), "pgdata");
const CRON_PATH = "/cdn-cgi/handler/scheduled?cron=*+*+*+*+*";
/** EDGEQ_CRON_EVERY_MS=0 stops the ticks (benchmarks that time other work); the default is a minute, as deployed. */
const CRON_INTERVAL_MS = Number(process.env.EDGEQ_CRON_EVERY_MS ?? 60_000);
const READY_POLL_MS = 250;
const STOP_GRACE_MS = 5_000;

const port = Number(process.env.PORT ?? 8787);
const apiUrl = `http://127.0.0.1:${port}`;
const externalUrl = process.env.DATABASE_URL || undefined;
const adminKey = localAdminKey(join(ROOT, ".edgeq", "admin-key"));
const signingSecret = localSigningSecret(join(STATE_DIR ?? join(ROOT, ".edgeq"), "signing-secret"));

/** Runs the project's wrangler on the Node running this script (wrangler 4 needs Node 22), skipping npx. */
function startWrangler(database: LocalDatabase): ChildProcess {
  const wranglerDir = dirname(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const wranglerBin = join(wranglerDir, "bin", "wrangler.js");
  const args = [wranglerBin, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--show-interactive-dev-session=false", "--var", `DATABASE_URL:${database.databaseUrl}`, "--var", `EDGEQ_ADMIN_KEY:${adminKey}`);
  // The Worker treats an absent PG_WS_PROXY as "connect directly", which is what Neon needs.
  if (database.wsProxy) args.push("--var", `PG_WS_PROXY:${database.wsProxy}`);
  // Local receivers (webhooks, callbacks, endpoints on localhost) are allowed unless turned off.
  args.push("--var", `EDGEQ_ALLOW_PRIVATE_WEBHOOKS:${process.env.EDGEQ_ALLOW_PRIVATE_WEBHOOKS ?? "true"}`);
  args.push("--var", `EDGEQ_SIGNING_SECRET:${signingSecret}`);
  // Durable Objects' storage must start as empty as the database, or schedulers hold unknown jobs.
  if (STATE_DIR) args.push("--persist-to", join(STATE_DIR, "wrangler"));
  return spawn(process.execPath, args, {
    cwd: ROOT,
    // Its own process group, so stopping it also stops the workerd processes it starts.
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
}

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops wrangler's whole process group: politely first, forcibly after a grace period. */
async function stopWrangler(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  process.kill(-pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once the Worker answers HTTP at all (any status), or when `stopped` says to give up. */
async function waitUntilServing(stopped: () => boolean): Promise<boolean> {
  while (!stopped()) {
    try {
      await fetch(apiUrl, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      await sleep(READY_POLL_MS);
    }
  }
  return false;
}

async function fireCron(): Promise<void> {
  try {
    const response = await fetch(apiUrl + CRON_PATH, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) console.warn(`[edgeq] cron tick answered ${response.status}`);
  } catch (error) {
    console.warn(`[edgeq] cron tick failed: ${(error as Error).message}`);
  }
}

/** Where the data lives, for the banner; never prints a password. */
function describeDatabase(database: LocalDatabase): string {
  if (!externalUrl) return `embedded PGlite, data in ${DATA_DIR} (${database.databaseUrl})`;
  const url = new URL(externalUrl);
  const kind = isLocalDatabaseUrl(externalUrl) ? "local PostgreSQL" : "remote PostgreSQL";
  return `${kind} ${url.host}${url.pathname}`;
}

function printBanner(database: LocalDatabase): void {
  const lines = [
    "",
    "edgeq is running",
    `  API       ${apiUrl}`,
    `  Database  ${describeDatabase(database)}`,
    ...(database.wsProxy ? [`  Bridge    ws://${database.wsProxy}`] : []),
    CRON_INTERVAL_MS > 0 ? `  Cron      fired every ${CRON_INTERVAL_MS / 1000} s` : "  Cron      off (EDGEQ_CRON_EVERY_MS=0)",
    `  Docs      ${apiUrl}/docs`,
    `  Admin key ${adminKey}   (kept in .edgeq/admin-key)`,
    "",
    `  curl -H 'authorization: Bearer ${adminKey}' -H 'content-type: application/json' \\`,
    `       -d '{"type":"echo","payload":{"hello":"edge"}}' ${apiUrl}/api/v1/jobs`,
    "Press Ctrl-C to stop.",
    "",
  ];
  console.log(lines.join("\n"));
}

async function main(): Promise<void> {
  console.log("[edgeq] starting the database…");
  const database = await startLocalDatabase({
    databaseUrl: externalUrl,
    dataDir: DATA_DIR,
    pgPort: Number(process.env.EDGEQ_PG_PORT ?? 54329),
    bridgePort: Number(process.env.EDGEQ_BRIDGE_PORT ?? 54330),
  });
  console.log("[edgeq] database migrated; starting wrangler…");

  const wrangler = startWrangler(database);
  let cronTimer: NodeJS.Timeout | undefined;
  let stopping = false;

  const shutdown = async (exitCode: number): Promise<void> => {
    stopping = true;
    clearInterval(cronTimer);
    try {
      await stopWrangler(wrangler);
      await database.close();
      process.exitCode = exitCode;
    } catch (error) {
      console.error("[edgeq] shutdown failed:", error);
      process.exitCode = 1;
    }
    process.exit();
  };

  const onSignal = (): void => {
    // npm forwards the terminal's Ctrl-C too, so a second signal is expected and must not cut the
    // clean shutdown short.
    if (stopping) return;
    console.log("\n[edgeq] stopping…");
    void shutdown(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  wrangler.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[edgeq] wrangler exited (${signal ?? `code ${code}`}); stopping.`);
    void shutdown(code ?? 1);
  });

  if (!(await waitUntilServing(() => stopping))) return;
  printBanner(database);
  if (CRON_INTERVAL_MS > 0) cronTimer = setInterval(() => void fireCron(), CRON_INTERVAL_MS);
  if (CRON_INTERVAL_MS > 0) await fireCron();
}

main().catch((error: unknown) => {
  console.error("[edgeq] could not start:", error);
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error("[edgeq] Is another `npm run dev` running? Or set EDGEQ_PG_PORT / EDGEQ_BRIDGE_PORT.");
  }
  process.exit(1);
});
