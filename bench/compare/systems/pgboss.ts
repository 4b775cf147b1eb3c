import pg from "pg";
import { PgBoss } from "pg-boss";
import { sleep, type System } from "../system";
import { freshDatabase } from "./postgres-db";

/** pg-boss's throughput settings: big fetches, fetching again at once while they come back full. */
const workOptions = { batchSize: 500, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 };

export async function startPgboss(): Promise<System> {
  const connectionString = await freshDatabase("edgeq_bench_pgboss");
  const boss = new PgBoss({ connectionString, max: 10 });
  boss.on("error", (error: unknown) => console.error("pg-boss:", error));
  await boss.start();
  const probe = new pg.Client({ connectionString });
  await probe.connect();
  let n = 0;
  return {
    name: "pg-boss",
    async newQueue(label) {
      const name = `${label}-${n++}`;
      await boss.createQueue(name);
      return name;
    },
    async add(queue, i) {
      await boss.send(queue, { i });
    },
    async addBulk(queue, from, count) {
      await boss.insert(queue, Array.from({ length: count }, (_, k) => ({ data: { i: from + k } })));
    },
    async process(queue, total, workload) {
      let ran = 0;
      let allRan!: () => void;
      const handled = new Promise<void>((resolve) => (allRan = resolve));
      // A batch handler: its jobs run concurrently, and they complete together when it returns.
      const id = await boss.work(queue, workOptions, async (jobs: unknown[]) => {
        if (workload === "sleep10") await Promise.all(jobs.map(() => sleep(10)));
        ran += jobs.length;
        if (ran >= total) allRan();
      });
      // Done when the completions are written, not when the handlers return.
      const done = handled.then(async () => {
        for (;;) {
          const { rows } = await probe.query("select count(*)::int as n from pgboss.job where name = $1 and state = 'completed'", [queue]);
          if (rows[0].n >= total) return;
          await sleep(50);
        }
      });
      return { done, stop: () => boss.offWork(queue, { id }) };
    },
    async close() {
      await probe.end();
      await boss.stop({ graceful: false });
    },
  };
}
