import { hostname } from "node:os";
import { EdgeqClient } from "../client/client";
import { RunningJob } from "./run-job";
import type { WorkerOptions } from "./types";

/** A pull worker: {@link createWorker} makes one, `start()` runs it until `stop()` or SIGTERM. */
export interface EdgeqWorker {
  readonly id: string;
  /** Leases and runs jobs until stopped; resolves once it has shut down. */
  start(): Promise<void>;
  /**
   * Stops leasing, lets in-flight jobs finish within the grace period, releases the rest back to
   * their queue, and leaves the registry. Resolves when all of that is done.
   */
  stop(): Promise<void>;
  /** Jobs running now. */
  readonly running: number;
}

const jsonLog = (message: string, fields: Record<string, unknown> = {}) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields })}\n`);

/**
 * Makes a pull worker: it leases jobs of `queues` from edgeq over HTTP (at most `concurrency` at
 * once), runs each with its handler under the job's timeout (an AbortSignal), heart-beats each
 * lease (with progress), reports the outcome, and tells the registry it is alive.
 *
 * ```ts
 * const worker = createWorker({ url, token, queues: ["renders"], concurrency: 2, handlers: { render: async (job, { signal }) => … } });
 * await worker.start();   // SIGTERM: finish in-flight jobs within graceMs, release the rest
 * ```
 */
export function createWorker(options: WorkerOptions): EdgeqWorker {
  const client = new EdgeqClient({ url: options.url, key: options.token });
  const id = options.id ?? `${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 6)}`.replace(/[^A-Za-z0-9_.:@-]/g, "-");
  const concurrency = options.concurrency ?? 4;
  const visibilityMs = options.visibilityMs ?? 30_000;
  const pollMs = options.pollIntervalMs ?? 1000;
  const graceMs = options.graceMs ?? 30_000;
  const log = options.log ?? jsonLog;
  const running = new Map<string, RunningJob>();
  const startedAt = new Date().toISOString();
  let stopping = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wake = null));

  const announce = () =>
    client.workers
      .announce(id, { name: options.name ?? id, queues: options.queues, host: hostname(), startedAt, currentJobs: [...running.keys()] })
      .catch((error: unknown) => log("announcing the worker failed", { error: String(error) }));

  const launch = (job: RunningJob) => {
    running.set(job.job.id, job);
    void job.done.then((outcome) => {
      running.delete(job.job.id);
      log(`job ${outcome}`, { jobId: job.job.id, type: job.job.type, attempt: job.job.attempt });
      wake?.();
    });
  };

  async function leaseSome(): Promise<number> {
    let got = 0;
    for (const queue of options.queues) {
      const free = concurrency - running.size;
      if (stopping || free <= 0) break;
      const jobs = await client.workers.lease(queue, { count: free, visibilityMs, workerId: id });
      for (const job of jobs) launch(new RunningJob(job, client, options.handlers[job.type], visibilityMs, log));
      got += jobs.length;
    }
    return got;
  }

  async function drain(): Promise<void> {
    const inFlight = () => Promise.all([...running.values()].map((j) => j.done));
    const finished = await Promise.race([inFlight().then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref())]);
    if (!finished) {
      log("grace period over; releasing unfinished jobs", { jobs: [...running.keys()] });
      for (const job of running.values()) job.release();
      await inFlight();
    }
  }

  async function run(): Promise<void> {
    await announce();
    const beat = setInterval(() => void announce(), Math.min(10_000, Math.max(1000, Math.floor(visibilityMs / 3))));
    log("worker started", { id, queues: options.queues, concurrency });
    try {
      while (!stopping) {
        if (running.size >= concurrency) {
          await pause(pollMs);
          continue;
        }
        let got = 0;
        try {
          got = await leaseSome();
        } catch (error) {
          log("leasing failed", { error: String(error) });
        }
        if (got === 0 && !stopping) await pause(pollMs);
      }
      await drain();
    } finally {
      clearInterval(beat);
      await client.workers.leave(id).catch(() => undefined);
      log("worker stopped", { id });
    }
  }

  const onSignal = () => void worker.stop();

  const worker: EdgeqWorker = {
    id,
    get running() {
      return running.size;
    },
    start() {
      if (options.handleSignals !== false) {
        process.once("SIGTERM", onSignal);
        process.once("SIGINT", onSignal);
      }
      loop ??= run().finally(() => {
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
      });
      return loop;
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
  return worker;
}
