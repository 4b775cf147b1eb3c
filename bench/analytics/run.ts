/**
 * Analytics at scale: seeds N finished jobs (default 10 million) with their attempts and rollups into
 * the machine's PostgreSQL (database edgeq_bench, kept between runs so the seed is paid once), starts
 * edgeq on it (`npm run dev` with DATABASE_URL), and times every analytics endpoint through the HTTP
 * API, with the cron ticks off so only the reads are timed. Prints p50/p95/max per endpoint. Usage: npm run bench:analytics -- [jobs=10000000] [requests=40]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { openNodePool } from "../../scripts/lib/migrate";
import { startLocalDatabase } from "../../scripts/lib/local-database";
import { BENCH_QUEUES, hasRollups, seed, seededJobs, seedRollups } from "./seed";

const [jobs = 10_000_000, requests = 40] = process.argv.slice(2).map(Number);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/edgeq_bench";
const port = Number(process.env.BENCH_PORT ?? 8797);
const base = `http://127.0.0.1:${port}`;
const key = `bench-${randomBytes(12).toString("hex")}`;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function ensureDatabase(): Promise<void> {
  const url = new URL(serverUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const db = await startLocalDatabase({ databaseUrl: url.toString() });
  const pool = openNodePool(url.toString(), { wsProxy: db.wsProxy });
  try {
    const { rows } = await pool.query("select 1 from pg_database where datname = $1", [name]);
    if (rows.length === 0) await pool.query(`create database "${name}"`);
  } finally {
    await pool.end();
    await db.close();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function timeEndpoint(path: string): Promise<{ p50: number; p95: number; max: number }> {
  const call = async () => {
    const started = performance.now();
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${key}` } });
    const body = await res.text();
    if (!res.ok) throw new Error(`${path} → ${res.status}: ${body.slice(0, 200)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 3; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) times.push(await call());
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times.at(-1)! };
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("edgeq did not come up");
}

async function main(): Promise<void> {
  await ensureDatabase();
  const db = await startLocalDatabase({ databaseUrl: serverUrl });
  const pool = openNodePool(serverUrl, { wsProxy: db.wsProxy });
  try {
    const have = await seededJobs(pool);
    if (have < jobs) {
      if (have > 0) throw new Error(`edgeq_bench holds ${have} bench jobs, fewer than ${jobs}: drop the database (dropdb edgeq_bench) and run again`);
      const started = Date.now();
      console.log(`seeding ${jobs.toLocaleString("en")} finished jobs into ${serverUrl} …`);
      await seed(pool, jobs, (done) => process.stdout.write(`\r  ${done.toLocaleString("en")} jobs`));
      console.log(`\nseeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    if (!(await hasRollups(pool))) {
      const started = Date.now();
      console.log("building the rollups of the seeded jobs …");
      await seedRollups(pool);
      console.log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const { rows } = await pool.query(
      "select (select count(*) from jobs)::bigint as jobs, (select count(*) from job_rollups)::bigint as rollups, pg_size_pretty(pg_database_size(current_database())) as size",
    );
    console.log(`database: ${Number(rows[0].jobs).toLocaleString("en")} jobs, ${Number(rows[0].rollups).toLocaleString("en")} rollup rows, ${rows[0].size}`);
  } finally {
    await pool.end();
    await db.close();
  }

  const dev = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: serverUrl, PORT: String(port), EDGEQ_ADMIN_KEY: key, EDGEQ_BRIDGE_PORT: "0", EDGEQ_CRON_EVERY_MS: "0" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    await waitForHealth();
    const day = 86_400_000;
    const window = (ms: number) => `from=${new Date(Date.now() - ms).toISOString()}&to=${new Date().toISOString()}`;
    const q = "&queue=bench-q3";
    const paths = [
      "/api/v1/analytics/overview",
      `/api/v1/analytics/throughput?${window(day)}&step=1m`,
      `/api/v1/analytics/throughput?${window(7 * day)}&step=1h`,
      `/api/v1/analytics/throughput?${window(12 * day)}&step=1d${q}`,
      `/api/v1/analytics/durations?${window(day)}`,
      `/api/v1/analytics/durations?${window(12 * day)}${q}`,
      `/api/v1/analytics/attempts?${window(7 * day)}`,
      `/api/v1/analytics/sla?${window(7 * day)}&targetMs=1000`,
      `/api/v1/analytics/submissions-by-hour?${window(12 * day)}&tz=Europe/Berlin`,
      `/api/v1/analytics/errors?${window(7 * day)}`,
      `/api/v1/analytics/timeline?from=${new Date(Date.now() - 3_600_000).toISOString()}&limit=500`,
      "/metrics",
      "/api/v1/queues",
    ];
    console.log(`\nanalytics over HTTP (wrangler dev, local PostgreSQL), ${requests} sequential requests each after 3 warm-ups, ms:`);
    console.log("endpoint".padEnd(72), "p50".padStart(7), "p95".padStart(7), "max".padStart(7));
    for (const path of paths) {
      const t = await timeEndpoint(path);
      const label = path.replace(/from=[^&]+&to=[^&]+/, "…").replace(/from=[^&]+/, "…");
      console.log(label.padEnd(72), t.p50.toFixed(1).padStart(7), t.p95.toFixed(1).padStart(7), t.max.toFixed(1).padStart(7));
    }
    console.log(`(${BENCH_QUEUES} queues; windows end now)`);
  } finally {
    try {
      process.kill(-dev.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
