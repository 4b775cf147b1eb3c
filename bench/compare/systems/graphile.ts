import { Logger, makeWorkerUtils, run, type WorkerUtils } from "graphile-worker";
import { sleep, type System } from "../system";
import { freshDatabase } from "./postgres-db";

/** graphile-worker's throughput settings, as its docs advise: a local queue and batched completion. */
/** Its per-job info lines would cost it time and flood the output. */
const logger = new Logger(() => () => undefined);

const preset = { worker: { concurrentJobs: 24, localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0, pollInterval: 200 } };

export async function startGraphile(): Promise<System> {
  const connectionString = await freshDatabase("edgeq_bench_graphile");
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString, logger });
  await utils.migrate();
  let n = 0;
  return {
    name: "graphile-worker",
    async newQueue(label) {
      return `${label}_${n++}`;
    },
    async add(queue, i, workload) {
      await utils.addJob(queue, { i, workload });
    },
    async addBulk(queue, from, count, workload) {
      await utils.addJobs(Array.from({ length: count }, (_, k) => ({ identifier: queue, payload: { i: from + k, workload } })));
    },
    async process(queue, total, workload) {
      let completed = 0;
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      const runner = await run({
        connectionString,
        noHandleSignals: true,
        preset,
        logger,
        taskList: { [queue]: async () => (workload === "sleep10" ? sleep(10) : undefined) },
      });
      // A job counts once its completion is written (batched completion writes a little later).
      runner.events.on("job:complete", () => {
        if (++completed === total) finish();
      });
      return { done, stop: () => runner.stop() };
    },
    async close() {
      await utils.release();
    },
  };
}
