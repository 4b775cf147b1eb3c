import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep, type System, type Workload } from "../system";
import { freshDatabase } from "./postgres-db";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** Ports of the comparison's own stack, away from `npm run dev`'s defaults. */
const PORT = Number(process.env.COMPARE_EDGEQ_PORT ?? 18_877);
const BRIDGE_PORT = PORT + 1;
/** edgeq's throughput setting: jobs leased at once per queue. */
const CONCURRENCY = 1000;

const jobOf = (i: number, workload: Workload) => (workload === "noop" ? { type: "echo", payload: { i } } : { type: "sleep", payload: { ms: 10 } });

/**
 * edgeq as `npm run dev` runs it (wrangler dev --local: API, schedulers and consumer in workerd)
 * on the machine's PostgreSQL through the WebSocket bridge, with the cron ticks off.
 */
export async function startEdgeq(): Promise<System> {
  const databaseUrl = await freshDatabase("edgeq_bench_edgeq");
  const state = mkdtempSync(join(tmpdir(), "edgeq-compare-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
    cwd: ROOT,
    // The stack's own log stays beside its state (and goes with it): its request lines would drown the table.
    stdio: ["ignore", "ignore", openSync(join(state, "stack.log"), "w")],
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(PORT), EDGEQ_BRIDGE_PORT: String(BRIDGE_PORT), EDGEQ_STATE_DIR: state, EDGEQ_CRON_EVERY_MS: "0" },
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error("edgeq's dev stack exited while starting");
    if (i > 240) throw new Error("edgeq did not start within 120 s");
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) break;
    await sleep(500);
  }
  const authorization = `Bearer ${readFileSync(join(ROOT, ".edgeq", "admin-key"), "utf8").trim()}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, { method, headers: { authorization, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  let queues = 0;

  return {
    name: "edgeq",
    async newQueue(label) {
      const queue = `cmp-${label}-${Date.now().toString(36)}-${queues++}`;
      // Enqueue measurements run on a paused queue, as peers measure with no worker running.
      await call("PUT", `/api/v1/queues/${queue}`, { concurrency: CONCURRENCY, paused: label !== "noop" && label !== "sleep10" });
      return queue;
    },
    async add(queue, i, workload) {
      await call("POST", "/api/v1/jobs", { queue, ...jobOf(i, workload) });
    },
    async addBulk(queue, from, count, workload) {
      await call("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: count }, (_, k) => jobOf(from + k, workload)) });
    },
    async process(queue, total) {
      const done = (async () => {
        for (;;) {
          await sleep(250);
          const { counts } = await call("GET", `/api/v1/queues/${queue}`);
          if ((counts.dead ?? 0) > 0) throw new Error(`${counts.dead} edgeq jobs died`);
          if ((counts.completed ?? 0) >= total) return;
        }
      })();
      return { done, stop: async () => undefined };
    },
    async close() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(state, { recursive: true, force: true });
    },
  };
}
