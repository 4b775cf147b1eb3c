import type { JobRow } from "../db/schema";
import type { EnqueueItem } from "./types";

/** What the scheduler holds of a stored job. */
export function enqueueItem(job: Pick<JobRow, "id" | "priority" | "runAt" | "timeoutMs">): EnqueueItem {
  return { id: job.id, priority: job.priority, runAt: job.runAt.getTime(), timeoutMs: job.timeoutMs };
}
