/**
 * A pull worker in a few lines: it leases `render` jobs from the pull queue `renders` and runs them
 * here, in Node. Run it against `npm run dev`:
 *
 *   export EDGEQ_URL=http://127.0.0.1:8787 EDGEQ_KEY=$(cat .edgeq/admin-key)
 *   curl -s -X PUT -H "authorization: Bearer $EDGEQ_KEY" -H 'content-type: application/json' \
 *     $EDGEQ_URL/api/v1/queues/renders -d '{"mode":"pull"}'
 *   npx tsx examples/pull-worker.ts
 *   curl -s -H "authorization: Bearer $EDGEQ_KEY" -H 'content-type: application/json' \
 *     $EDGEQ_URL/api/v1/jobs -d '{"queue":"renders","type":"render","payload":{"frames":5}}'
 *
 * Ctrl-C (or SIGTERM) stops leasing, lets running jobs finish for up to 30 s, then releases the rest.
 */
import { createWorker, JobError } from "edgeq/worker";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

const worker = createWorker({
  url: process.env.EDGEQ_URL ?? "http://127.0.0.1:8787",
  token: process.env.EDGEQ_KEY ?? "",
  queues: (process.env.EDGEQ_QUEUES ?? "renders").split(","),
  concurrency: Number(process.env.EDGEQ_CONCURRENCY ?? 2),
  handlers: {
    render: async (job, { signal, progress }) => {
      const { frames } = job.payload as { frames?: number };
      if (!frames || frames < 1) throw new JobError("payload.frames must be a positive number", { retryable: false });
      for (let frame = 1; frame <= frames; frame++) {
        await sleep(200, signal);
        await progress({ frame, of: frames });
      }
      return { rendered: frames };
    },
  },
});

await worker.start();
