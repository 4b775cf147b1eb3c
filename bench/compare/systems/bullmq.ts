import { Queue, Worker } from "bullmq";
import { sleep, type System, type Workload } from "../system";

const connection = { host: "127.0.0.1", port: Number(process.env.COMPARE_REDIS_PORT ?? 6379) };
/** The bench's keys only (the machine's Redis is shared): its own prefix, obliterated at the end. */
const prefix = `edgeq-bench-${process.pid}`;
/** BullMQ's throughput settings: a high worker concurrency, finished jobs not kept. */
const CONCURRENCY = 100;
const jobOptions = { removeOnComplete: true, removeOnFail: true };

export async function startBullmq(): Promise<System> {
  const queues = new Map<string, Queue>();
  let n = 0;
  const queueOf = (name: string) => queues.get(name)!;
  return {
    name: "BullMQ",
    async newQueue(label) {
      const name = `${label}-${n++}`;
      queues.set(name, new Queue(name, { connection, prefix }));
      return name;
    },
    async add(queue, i, workload) {
      await queueOf(queue).add(workload, { i }, jobOptions);
    },
    async addBulk(queue, from, count, workload) {
      await queueOf(queue).addBulk(Array.from({ length: count }, (_, k) => ({ name: workload, data: { i: from + k }, opts: jobOptions })));
    },
    async process(queue, total, workload: Workload) {
      let completed = 0;
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      const worker = new Worker(queue, async () => (workload === "sleep10" ? sleep(10) : undefined), { connection: { ...connection, maxRetriesPerRequest: null }, prefix, concurrency: CONCURRENCY });
      worker.on("completed", () => {
        if (++completed === total) finish();
      });
      await worker.waitUntilReady();
      return { done, stop: () => worker.close() };
    },
    async close() {
      for (const queue of queues.values()) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    },
  };
}
