/**
 * `npm run bench:compare`: edgeq side by side with BullMQ (the machine's Redis), graphile-worker and
 * pg-boss (the machine's PostgreSQL 15 binaries, in a cluster the bench starts on a port of its own,
 * each system in a database of its own),
 * on the same workloads: no-op jobs and 10 ms jobs. For each system: bulk and single enqueue jobs/s,
 * end-to-end jobs/s per workload, and submit latency p50/p99 at a fixed rate; medians of the runs,
 * and edgeq's ratio to each peer. The peers are dev dependencies of bench/ only (bench/package.json),
 * installed by `npm run bench:compare` itself on first use.
 *
 * Usage: npm run bench:compare -- [--runs 3] [--jobs 20000] [--single 1000] [--producers 64]
 *          [--rate 50] [--seconds 10] [--only edgeq,bullmq,graphile,pgboss] [--markdown]
 */
import { parseArgs } from "node:util";
import { startOwnPostgres } from "../chaos/own-postgres";
import { useServer } from "./systems/postgres-db";
import { endToEnd, bulkEnqueue, latencyAtRate, median, singleEnqueue, type Sizes } from "./measure";
import type { System, Workload } from "./system";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    jobs: { type: "string", default: "20000" },
    single: { type: "string", default: "1000" },
    producers: { type: "string", default: "64" },
    rate: { type: "string", default: "20" },
    seconds: { type: "string", default: "10" },
    only: { type: "string", default: "edgeq,bullmq,graphile,pgboss" },
    markdown: { type: "boolean", default: false },
  },
});
const sizes: Sizes = { jobs: Number(values.jobs), singleJobs: Number(values.single), producers: Number(values.producers), rate: Number(values.rate), rateSeconds: Number(values.seconds) };
const runs = Number(values.runs);

const starters: Record<string, () => Promise<System>> = {
  edgeq: async () => (await import("./systems/edgeq")).startEdgeq(),
  bullmq: async () => (await import("./systems/bullmq")).startBullmq(),
  graphile: async () => (await import("./systems/graphile")).startGraphile(),
  pgboss: async () => (await import("./systems/pgboss")).startPgboss(),
};

interface Figures {
  bulk: number;
  single: number;
  noop: number;
  sleep10: number;
  p50: number;
  p99: number;
}
const COLUMNS: [keyof Figures, string][] = [
  ["bulk", "bulk enqueue jobs/s"],
  ["single", `single enqueue jobs/s (${sizes.producers} producers)`],
  ["noop", "end to end jobs/s, no-op"],
  ["sleep10", "end to end jobs/s, 10 ms jobs"],
  ["p50", `submit p50 ms at ${sizes.rate}/s`],
  ["p99", `submit p99 ms at ${sizes.rate}/s`],
];

async function measure(system: System): Promise<Figures> {
  const bulk = await bulkEnqueue(system, sizes);
  const single = await singleEnqueue(system, sizes);
  const { p50, p99 } = await latencyAtRate(system, sizes);
  const e2e = async (w: Workload) => endToEnd(system, sizes, w);
  const noop = await e2e("noop");
  const sleep10 = await e2e("sleep10");
  return { bulk, single, noop, sleep10, p50, p99 };
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

async function main(): Promise<void> {
  const names = values.only.split(",");
  const ownServer = process.env.COMPARE_PG_URL ? undefined : startOwnPostgres(Number(process.env.COMPARE_PG_PORT ?? 15_460));
  if (ownServer) useServer(ownServer.url);
  const results = new Map<string, Figures[]>();
  // Runs interleave the systems, so a burst of load from elsewhere on the machine hits them alike.
  for (let run = 1; run <= runs; run++) {
    for (const key of names) {
      const start = starters[key];
      if (!start) throw new Error(`unknown system ${key}`);
      const system = await start();
      try {
        const figures = await measure(system);
        console.error(`run ${run} ${system.name}: ${COLUMNS.map(([k]) => `${k} ${fmt(figures[k])}`).join(", ")}`);
        results.set(system.name, [...(results.get(system.name) ?? []), figures]);
      } finally {
        await system.close();
      }
    }
  }

  const medians = new Map([...results].map(([name, list]) => [name, Object.fromEntries(COLUMNS.map(([k]) => [k, median(list.map((f) => f[k]))])) as unknown as Figures]));
  const edgeq = medians.get("edgeq");
  const header = ["system", ...COLUMNS.map(([, label]) => label)];
  const rows = [...medians].map(([name, f]) => [name, ...COLUMNS.map(([k]) => fmt(f[k]))]);
  if (edgeq) {
    for (const [name, f] of medians) {
      if (name === "edgeq") continue;
      // Throughput: edgeq ÷ peer (above 1 is edgeq faster); latency: peer ÷ edgeq (above 1 is edgeq quicker).
      rows.push([`edgeq ÷ ${name}`, ...COLUMNS.map(([k]) => (k === "p50" || k === "p99" ? f[k] / edgeq[k] : edgeq[k] / f[k]).toFixed(2) + "×")]);
    }
  }
  console.log(`\n${sizes.jobs.toLocaleString("en-US")} jobs per end-to-end and bulk figure, ${sizes.singleJobs} single enqueues, ${sizes.rate}/s for ${sizes.rateSeconds} s for latency; median of ${runs} run(s)`);
  if (values.markdown) {
    console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
    for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  } else {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  }
  ownServer?.stop();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
