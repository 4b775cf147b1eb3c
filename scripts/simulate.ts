/**
 * `npm run simulate`: drives a realistic mixed workload of `simulate` jobs against a running edgeq
 * (the dev stack by default) — ten queues of fast, medium and slow jobs with their own failure
 * mixes, arriving with a working day's rhythm compressed into `--day-minutes` — for demos, the
 * dashboard, and the AI evaluation. Stops at Ctrl-C, after `--minutes`, or after `--jobs` jobs.
 */
import { parseArgs } from "node:util";
import { prng } from "../bench/lib/prng";
import { EdgeqClient } from "../src/client";
import { stackKey, stackUrl } from "./lib/stack-target";
import { arrivals, drawJob, PROFILES, simulatedHour } from "./simulate/workload";

const { values: opts } = parseArgs({
  options: {
    rate: { type: "string", default: "20" },
    "day-minutes": { type: "string", default: "10" },
    minutes: { type: "string" },
    jobs: { type: "string" },
    prefix: { type: "string", default: "" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});

if (opts.help) {
  console.log(`npm run simulate -- [--rate 20] [--day-minutes 10] [--minutes N] [--jobs N] [--prefix demo-] [--seed 1]

  --rate         jobs per second at the day's peak
  --day-minutes  how long a simulated day lasts (the run starts at 06:00)
  --minutes      stop after this long; --jobs: stop after this many jobs
  --prefix       put before every queue name
Talks to EDGEQ_URL (default http://127.0.0.1:8787) with EDGEQ_API_KEY (default: the dev stack's key).`);
  process.exit(0);
}

const number = (name: string, text: string | undefined, min: number): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number of at least ${min}, not "${text}"`);
    process.exit(2);
  }
  return n;
};
const peak = number("rate", opts.rate, 0.1)!;
const dayMs = number("day-minutes", opts["day-minutes"], 0.1)! * 60_000;
const stopAfterMs = (number("minutes", opts.minutes, 0) ?? Infinity) * 60_000;
const stopAfterJobs = number("jobs", opts.jobs, 1) ?? Infinity;
const random = prng(number("seed", opts.seed, 0)!);

const STEP_MS = 1000;
const edgeq = new EdgeqClient({ url: stackUrl, key: stackKey() });
const queueName = (q: string) => `${opts.prefix}${q}`;

for (const p of PROFILES) await edgeq.queues.set(queueName(p.queue), { concurrency: p.concurrency, retryPolicy: p.retryPolicy });
console.log(`simulating ${PROFILES.length} queues at up to ${peak} jobs/s against ${stackUrl}; a day lasts ${dayMs / 60_000} min`);

let stopping = false;
process.on("SIGINT", () => (stopping = true));
const started = Date.now();
const carry = new Map<string, number>();
let submitted = 0;
const perQueue = new Map<string, number>();

for (let step = 0; !stopping && submitted < stopAfterJobs && Date.now() - started < stopAfterMs; step++) {
  const hour = simulatedHour(step * STEP_MS, dayMs);
  const counts = arrivals(peak, hour, STEP_MS, carry, random);
  const sends = PROFILES.map(async (p) => {
    const n = Math.min(counts.get(p.queue) ?? 0, stopAfterJobs - submitted);
    if (n <= 0) return;
    submitted += n;
    const jobs = Array.from({ length: n }, () => {
      const { name, payload } = drawJob(p, random);
      return { type: "simulate", payload, tags: [name] };
    });
    for (let i = 0; i < jobs.length; i += 1000) await edgeq.submitBatch({ queue: queueName(p.queue), jobs: jobs.slice(i, i + 1000) });
    perQueue.set(p.queue, (perQueue.get(p.queue) ?? 0) + n);
  });
  await Promise.all(sends);
  if (step % 10 === 0) console.log(`${String(Math.floor(hour)).padStart(2, "0")}:00 simulated · ${submitted} jobs submitted`);
  // Paced to the wall clock: one step a second, however long the submissions took.
  const next = started + (step + 1) * STEP_MS;
  if (submitted < stopAfterJobs) await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
}

console.log(`submitted ${submitted} jobs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.table(PROFILES.map((p) => ({ queue: queueName(p.queue), jobs: perQueue.get(p.queue) ?? 0 })));
