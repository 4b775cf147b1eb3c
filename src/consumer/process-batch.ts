import { claimJobs, type Delivery } from "../db/queries/claim-jobs";
import type { JobRow } from "../db/schema";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { endpointHandler, endpointTimeoutMs } from "../handlers/endpoint";
import type { HandlerLookup } from "../handlers/types";
import { publish } from "../live/publish";
import { exhaustedByLostLeases } from "./decide-outcome";
import { executeJob, type Execution } from "./execute-job";
import type { JobMessage } from "./job-message";
import { finalRefusalReports, reportToSchedulers } from "./report";
import { writeOutcomes, type Tally } from "./write-outcomes";

/** One delivery per job: a batch may hold a job twice; only its newest lease can win anyway. */
function newestDeliveries(messages: JobMessage[]): (Delivery & { queue: string })[] {
  const byId = new Map<string, Delivery & { queue: string }>();
  for (const m of messages) {
    const seen = byId.get(m.id);
    if (!seen || seen.lease < m.l) byId.set(m.id, { id: m.id, lease: m.l, queue: m.q });
  }
  return [...byId.values()];
}

/** Outcomes that finish within this long of each other are written together. */
const FLUSH_AFTER_MS = 20;

/**
 * The consumer's work on one batch: claim every job in one statement, run the handlers (in-Worker,
 * or the HTTPS endpoint a job's type or queue is bound to) concurrently under their timeouts, and
 * write outcomes in one statement per group that finishes together (a slow job never holds back
 * the fast ones), telling each queue's scheduler after each write. A stale or duplicate delivery
 * changes nothing. Throws only if Postgres is unreachable. Work off the jobs' path (failure
 * insights, webhooks) goes to `defer`, which the caller settles before closing `db`.
 */
export async function processBatch(
  env: Env,
  db: Db,
  messages: JobMessage[],
  handlers: HandlerLookup,
  runner: string,
  defer: (work: Promise<void>) => void,
): Promise<void> {
  const deliveries = newestDeliveries(messages);
  const queueOf = new Map(deliveries.map((d) => [d.id, d.queue]));
  const { claimed, refused, endpoints, smartQueues } = await claimJobs(db, deliveries, new Date(), runner);
  await reportToSchedulers(env, finalRefusalReports(refused, (id) => queueOf.get(id)));

  const started = Date.now();
  const writes: Promise<Tally>[] = [];
  let finished: { job: JobRow; execution: Execution }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (finished.length === 0) return;
    const write = writeOutcomes(env, db, finished, defer, smartQueues);
    finished = [];
    // Awaited below; marked handled now so a failure is not reported as unhandled meanwhile.
    write.catch(() => undefined);
    writes.push(write);
  };
  await Promise.all(
    claimed.map(async (job) => {
      const endpoint = endpoints.get(job.id);
      const execution =
        exhaustedByLostLeases(job) ??
        (endpoint
          ? await executeJob(job, { get: () => endpointHandler(endpoint, env.EDGEQ_SIGNING_SECRET) }, endpointTimeoutMs(endpoint, job))
          : await executeJob(job, handlers));
      finished.push({ job, execution });
      timer ??= setTimeout(flush, FLUSH_AFTER_MS);
    }),
  );
  flush();
  const tallies = await Promise.all(writes);
  const tally = (key: "completed" | "failed") => tallies.reduce((n, t) => n + t[key], 0);
  await publish(env, [
    {
      type: "worker.batch",
      // One tenant's batch is that tenant's to see; a batch spanning tenants, the platform's.
      tenant: new Set(claimed.map((j) => j.tenantId)).size === 1 ? (claimed[0]?.tenantId ?? null) : null,
      runner,
      queues: [...new Set(deliveries.map((d) => d.queue))],
      jobs: claimed.length,
      completed: tally("completed"),
      failed: tally("failed"),
      durationMs: Date.now() - started,
      at: Date.now(),
    },
  ]);
}
