import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { adminKey, client, uniqueQueue, url } from "./helpers";

const ROOT = new URL("../..", import.meta.url).pathname;
const started: ChildProcess[] = [];

/**
 * A worker process (test/clients/fixtures/worker-process.ts) and a way to wait for lines it prints.
 * One process, with tsx as a loader (tsx's CLI would run the script in a child that SIGKILL misses).
 */
function startWorker(queue: string, id: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/clients/fixtures/worker-process.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, EDGEQ_URL: url, EDGEQ_KEY: adminKey, QUEUE: queue, WORKER_ID: id, ...env },
  });
  started.push(child);
  let output = "";
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    output += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  /** Resolves once the output holds `count` lines starting with `prefix`. */
  const lines = async (prefix: string, count = 1) => {
    const matching = () => output.split("\n").filter((l) => l.startsWith(prefix));
    while (matching().length < count) {
      if (child.exitCode !== null) throw new Error(`worker ${id} exited before printing ${prefix}:\n${output}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return matching();
  };
  return { child, lines, exited };
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

async function pullQueue() {
  const queue = uniqueQueue("pull");
  await client().queues.set(queue, { mode: "pull" });
  return queue;
}

describe("edgeq/worker in a real process against the dev stack", () => {
  it("leases, heart-beats and completes jobs, and shows in the registry", async () => {
    const queue = await pullQueue();
    const edgeq = client();
    const jobs = await Promise.all([1, 2, 3].map(() => edgeq.submit({ queue, type: "hold", payload: { ms: 50 } })));
    const id = `proc-${queue}`;
    const worker = startWorker(queue, id, { CONCURRENCY: "2" });
    for (const job of jobs) {
      const done = await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
      expect(done).toMatchObject({ state: "completed", result: { ranBy: id }, progress: { started: true } });
      expect(done.attempts).toEqual([expect.objectContaining({ outcome: "completed", runner: id })]);
    }
    const registered = (await edgeq.workers.list()).find((w) => w.id === id);
    expect(registered).toMatchObject({ name: `test worker ${id}`, queues: [queue], processed: 3, failed: 0 });
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect((await edgeq.workers.list()).map((w) => w.id)).not.toContain(id);
  });

  it("a worker killed with SIGKILL mid-job: its lease expires, a second worker runs the job, one completed outcome", async () => {
    const queue = await pullQueue();
    const edgeq = client();
    const job = await edgeq.submit({ queue, type: "hold", payload: { ms: 120_000, retryMs: 50 } });
    const doomed = startWorker(queue, `doomed-${queue}`, { VISIBILITY_MS: "2000" });
    await doomed.lines(`started ${job.id} 1`);
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    const second = startWorker(queue, `second-${queue}`, { VISIBILITY_MS: "2000" });
    const done = await edgeq.waitFor(job.id, { timeoutMs: 45_000 });
    expect(done).toMatchObject({ state: "completed", result: { ranBy: `second-${queue}` } });
    expect(done.attempts.map((a) => [a.outcome, a.runner])).toEqual([
      ["lost", `doomed-${queue}`],
      ["completed", `second-${queue}`],
    ]);
    expect(done.attempts.filter((a) => a.outcome === "completed")).toHaveLength(1);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("SIGTERM: stops leasing, finishes in-flight jobs, loses none", async () => {
    const queue = await pullQueue();
    const edgeq = client();
    const running = await Promise.all([1, 2].map(() => edgeq.submit({ queue, type: "hold", payload: { ms: 1500 } })));
    const worker = startWorker(queue, `term-${queue}`, { CONCURRENCY: "2" });
    await worker.lines("started ", 2);
    const waiting = await Promise.all([1, 2].map(() => edgeq.submit({ queue, type: "hold", payload: { ms: 10 } })));
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    for (const job of running) expect(await edgeq.get(job.id)).toMatchObject({ state: "completed", result: { ranBy: `term-${queue}` } });
    for (const job of waiting) expect(await edgeq.get(job.id)).toMatchObject({ state: "queued", attempt: 0 });
  });

  it("SIGTERM past the grace period releases the unfinished job back to its queue, its attempt not spent", async () => {
    const queue = await pullQueue();
    const edgeq = client();
    const job = await edgeq.submit({ queue, type: "hold", payload: { ms: 120_000 }, maxAttempts: 1 });
    const worker = startWorker(queue, `grace-${queue}`, { GRACE_MS: "300" });
    await worker.lines(`started ${job.id}`);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    const released = await edgeq.get(job.id);
    expect(released).toMatchObject({ state: "queued", attemptsLeft: 1 });
    expect(released.attempts).toEqual([expect.objectContaining({ outcome: "lost", runner: `grace-${queue}`, error: expect.objectContaining({ code: "released" }) })]);
  });
});
