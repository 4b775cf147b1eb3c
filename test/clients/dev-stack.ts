/**
 * Global setup of the `clients` project: one real dev stack (`scripts/dev.ts`: embedded PGlite,
 * WebSocket bridge, `wrangler dev --local`) on free ports with its state in a temporary directory,
 * shared by the SDK, CLI and MCP tests, and stopped (its whole process group) at the end. It also
 * builds the CLI's bundle, so the CLI tests run the current source.
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";

const ROOT = new URL("../..", import.meta.url).pathname;
const ADMIN_KEY = "clients-test-admin-key";
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !alive(pid)) return;
  // dev.ts stops wrangler's group and closes the database on SIGTERM.
  process.kill(-pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(-pid, "SIGKILL");
}

export default async function setup(project: TestProject) {
  // The CLI tests run bin/edgeq.js, which runs the bundle: build it from the source under test.
  execSync("npm run build:cli --silent", { cwd: ROOT, stdio: "inherit" });
  const [port, pgPort, bridgePort] = [await freePort(), await freePort(), await freePort()];
  const stateDir = mkdtempSync(join(tmpdir(), "edgeq-clients-"));
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  let output = "";
  const child = spawn(process.execPath, [tsx, "scripts/dev.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      EDGEQ_PG_PORT: String(pgPort),
      EDGEQ_BRIDGE_PORT: String(bridgePort),
      EDGEQ_STATE_DIR: stateDir,
      EDGEQ_ADMIN_KEY: ADMIN_KEY,
      EDGEQ_ALLOW_PRIVATE_WEBHOOKS: "true",
      DATABASE_URL: "",
    },
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!output.includes("edgeq is running")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop(child);
      throw new Error(`the dev stack did not start:\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }
  project.provide("edgeqUrl", url);
  project.provide("edgeqAdminKey", ADMIN_KEY);
  return async () => {
    await stop(child);
    rmSync(stateDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The dev stack's API origin. */
    edgeqUrl: string;
    /** Its bootstrap admin key. */
    edgeqAdminKey: string;
  }
}
