/**
 * `npm run bench:chaos`: steady load on edgeq while its runtime (wrangler dev --local and its
 * workerd, started here in a process group of their own) is killed with SIGKILL at random moments,
 * each time while the consumer holds a batch (jobs running in Postgres), and PostgreSQL (a cluster of
 * this bench's own, on its own port) is restarted once. The producer behaves as a real one: every job
 * has an idempotency key, and a submit that failed is sent again until it is acknowledged. Afterwards
 * every acknowledged job is checked in Postgres: all completed, none lost, none completed twice; jobs
 * that took more than one attempt are counted with their earlier attempts' outcomes.
 *
 * Usage: npm run bench:chaos -- [--kills 6] [--seconds 60] [--rate 200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startLocalDatabase } from "../../scripts/lib/local-database";
import { startOwnPostgres } from "./own-postgres";
import { Runtime } from "./runtime";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "6" },
    seconds: { type: "string", default: "60" },
    rate: { type: "string", default: "200" },
  },
});
const KILLS = Number(values.kills);
const SECONDS = Number(values.seconds);
/** Jobs submitted per second: batches of 20 every 100 ms at 200/s, and one single submit per tick. */
const RATE = Number(values.rate);
const TICK_MS = 100;
const PORT = 15_457;
const queue = "chaos";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min: number, max: number) => min + Math.random() * (max - min);

async function main(): Promise<void> {
  const server = startOwnPostgres(15_455);
  const database = await startLocalDatabase({ databaseUrl: server.url, bridgePort: 15_456 });
  const state = mkdtempSync(join(tmpdir(), "edgeq-chaos-"));
  const adminKey = `eq_chaos_${crypto.randomUUID().replaceAll("-", "")}`;
  const runtime = new Runtime({ port: PORT, databaseUrl: database.databaseUrl, wsProxy: database.wsProxy, adminKey, stateDir: state });
  const sql = new pg.Pool({ connectionString: server.url, max: 2 });
  // The server's restart ends these connections; the pool opens new ones.
  sql.on("error", () => undefined);
  const headers = { authorization: `Bearer ${adminKey}`, "content-type": "application/json" };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(runtime.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
    return response.json();
  };

  try {
    await runtime.start();
    // Short leases, so a killed consumer's jobs are leased again within seconds; room for several lost attempts.
    await call("PUT", `/api/v1/queues/${queue}`, { concurrency: 200, timeoutMs: 3000, visibilityTimeoutMs: 2000, maxAttempts: 20 });

    const acknowledged = new Set<string>();
    const unacknowledged = new Map<string, unknown[]>();
    const inflight = new Set<Promise<void>>();
    let made = 0;
    let failedSubmits = 0;
    const job = () => {
      const key = `job-${made++}`;
      return { key, body: { type: "sleep", payload: { ms: Math.round(random(5, 60)) }, idempotencyKey: key } };
    };
    const submit = (keys: string[], jobs: unknown[]): Promise<void> => {
      const sent = send(keys, jobs).finally(() => inflight.delete(sent));
      inflight.add(sent);
      return sent;
    };
    const send = async (keys: string[], jobs: unknown[]) => {
      try {
        if (jobs.length === 1) await call("POST", "/api/v1/jobs", { queue, ...(jobs[0] as object) });
        else await call("POST", "/api/v1/jobs/batch", { queue, jobs });
        for (const key of keys) acknowledged.add(key);
        unacknowledged.delete(keys[0]!);
      } catch {
        failedSubmits++;
        unacknowledged.set(keys[0]!, jobs);
      }
    };
    let producing = true;
    const producer = (async () => {
      const perTick = Math.max(2, Math.round((RATE * TICK_MS) / 1000));
      while (producing) {
        const batch = Array.from({ length: perTick - 1 }, job);
        const single = job();
        void submit(batch.map((j) => j.key), batch.map((j) => j.body));
        void submit([single.key], [single.body]);
        // A producer retries what failed, with the same idempotency keys.
        for (const [first, jobs] of [...unacknowledged]) {
          unacknowledged.delete(first);
          void submit((jobs as { idempotencyKey: string }[]).map((j) => j.idempotencyKey), jobs);
        }
        await sleep(TICK_MS);
      }
    })();
    const cron = setInterval(() => void fetch(`${runtime.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`).catch(() => undefined), 3000);

    const running = async () => Number((await sql.query("select count(*)::int as n from jobs where state = 'running'")).rows[0].n);
    const started = Date.now();
    const pgRestartAfter = 1 + Math.floor(Math.random() * (KILLS - 1));
    const kills: { at: number; runningJobs: number; downMs: number }[] = [];
    let pgRestart: { at: number; ms: number } | undefined;
    for (let k = 0; k < KILLS; k++) {
      await sleep(random(0.5, 1.5) * ((SECONDS * 1000) / (KILLS + 1)));
      // Kill while the consumer holds a batch: jobs are running in Postgres.
      let held = 0;
      for (let tries = 0; tries < 100 && (held = await running().catch(() => 0)) === 0; tries++) await sleep(20);
      const at = (Date.now() - started) / 1000;
      runtime.kill("SIGKILL");
      const down = Date.now();
      await runtime.start();
      kills.push({ at, runningJobs: held, downMs: Date.now() - down });
      console.error(`  kill ${k + 1} at ${at.toFixed(1)} s with ${held} jobs running; back after ${Date.now() - down} ms`);
      if (k + 1 === pgRestartAfter) {
        const t = Date.now();
        server.restart();
        pgRestart = { at: (t - started) / 1000, ms: Date.now() - t };
        console.error(`  PostgreSQL restarted at ${pgRestart.at.toFixed(1)} s (${pgRestart.ms} ms)`);
      }
    }
    await sleep(2000);
    producing = false;
    await producer;
    // Every submit's answer is in before the retries: a late failure must be retried too.
    while (inflight.size > 0) await Promise.all([...inflight]);
    for (let i = 0; unacknowledged.size > 0 && i < 60; i++) {
      for (const [first, jobs] of [...unacknowledged]) {
        unacknowledged.delete(first);
        await submit((jobs as { idempotencyKey: string }[]).map((j) => j.idempotencyKey), jobs);
      }
      await sleep(500);
    }
    if (unacknowledged.size > 0) throw new Error(`${unacknowledged.size} submits never acknowledged`);
    const loadSeconds = (Date.now() - started) / 1000;

    // Drain: the cron tick's reconciler and lease expiry recover whatever the kills left behind.
    const keys = [...acknowledged];
    const unfinished = async () =>
      Number((await sql.query("select count(*)::int as n from jobs where queue = $1 and state <> 'completed'", [queue])).rows[0].n);
    const drainStart = Date.now();
    while ((await unfinished()) > 0 && Date.now() - drainStart < 300_000) await sleep(1000);
    clearInterval(cron);

    const rows = (
      await sql.query(
        `select k.key, j.state, j.attempt,
                (select count(*)::int from job_attempts a where a.job_id = j.id and a.outcome = 'completed') as completions,
                (select coalesce(json_agg(a.outcome order by a.attempt), '[]'::json) from job_attempts a where a.job_id = j.id) as outcomes
           from unnest($1::text[]) as k(key) left join jobs j on j.queue = $2 and j.idempotency_key = k.key`,
        [keys, queue],
      )
    ).rows as { key: string; state: string | null; attempt: number | null; completions: number; outcomes: string[] }[];
    const extra = Number((await sql.query("select count(*)::int as n from jobs where queue = $1 and not (idempotency_key = any($2::text[]))", [queue, keys])).rows[0].n);
    const lost = rows.filter((r) => r.state === null);
    const notCompleted = rows.filter((r) => r.state !== null && r.state !== "completed");
    const twice = rows.filter((r) => r.completions > 1);
    const retried = rows.filter((r) => (r.attempt ?? 0) > 1);
    const earlier = new Map<string, number>();
    for (const r of retried) for (const o of r.outcomes.slice(0, -1)) earlier.set(o ?? "open", (earlier.get(o ?? "open") ?? 0) + 1);

    console.log(`edgeq chaos: ${SECONDS} s of load at ~${RATE} jobs/s (batches and single submits), queue concurrency 200, 5–60 ms jobs`);
    console.log(`  runtime SIGKILLed ${kills.length} times, each with jobs running (${kills.map((k) => k.runningJobs).join(", ")} running), back in ${kills.map((k) => k.downMs).join(", ")} ms`);
    console.log(`  PostgreSQL restarted once, at ${pgRestart?.at.toFixed(1)} s (${pgRestart?.ms} ms)`);
    console.log(`  submitted and acknowledged: ${keys.length} jobs over ${loadSeconds.toFixed(0)} s (${failedSubmits} submits failed and were sent again)`);
    console.log(`  drained ${((Date.now() - drainStart) / 1000).toFixed(0)} s after the load stopped`);
    console.log(`  completed: ${rows.length - lost.length - notCompleted.length}; lost: ${lost.length}; not completed: ${notCompleted.length}; completed twice: ${twice.length}; jobs nobody acknowledged: ${extra}`);
    console.log(`  attempts above one: ${retried.length} jobs (${[...earlier].map(([o, n]) => `${n} earlier attempts ${o}`).join(", ") || "none"})`);
    const ok = lost.length === 0 && notCompleted.length === 0 && twice.length === 0 && extra === 0;
    console.log(ok ? "  PASS: every submitted job completed exactly once" : "  FAIL");
    process.exitCode = ok ? 0 : 1;
  } finally {
    runtime.kill("SIGTERM");
    await sql.end().catch(() => undefined);
    await database.close();
    server.stop();
    rmSync(state, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
