import type { JobRow } from "../db/schema";
import type { EnqueueItem } from "./types";

/** What the scheduler holds of a stored job. */
export function enqueueItem(job: Pick<JobRow, "id" | "priority" | "runAt" | "timeoutMs" | "rateLimitKey" | "concurrencyKey" | "concurrencyLimit">): EnqueueItem {
  return {
    id: job.id,
    priority: job.priority,
    runAt: job.runAt.getTime(),
    timeoutMs: job.timeoutMs,
    rateKey: job.rateLimitKey,
    concKey: job.concurrencyKey,
    concLimit: job.concurrencyKey === null ? null : (job.concurrencyLimit ?? 1),
  };
}
