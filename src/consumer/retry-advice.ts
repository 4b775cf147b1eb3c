import type { Db } from "../db/client";
import { classKey, recoveryStats, type FailureClass } from "../db/queries/recovery-stats";
import type { JobRow } from "../db/schema";
import { classify } from "../insights/analyzer";
import { smartAdvice, type RetryAdvice } from "../insights/retry-policy";
import type { Execution } from "./execute-job";

/**
 * The smart retry policy's advice for each failed job of a `smart` queue in a group, by job id:
 * one statement for the group's failure classes, none when nothing failed. When the caller knows
 * which queues are `smart` (the consumer's claim says), failures of other queues are left out before
 * any statement, so queues on the fixed policy never read recovery stats; without it the statement
 * itself keeps to `smart` queues.
 */
export async function retryAdviceFor(
  db: Db,
  group: { job: JobRow; execution: Execution }[],
  now: number,
  smartQueues?: ReadonlySet<string>,
): Promise<Map<string, RetryAdvice>> {
  const failed = group.flatMap(({ job, execution }) => {
    if (execution.ok || !execution.error.retryable || (smartQueues && !smartQueues.has(job.queue))) return [];
    const fc: FailureClass = { queue: job.queue, type: job.type, category: classify({ error: execution.error, timedOut: execution.timedOut }).category };
    return [{ job, message: execution.error.message, fc }];
  });
  if (failed.length === 0) return new Map();
  const stats = await recoveryStats(db, failed.map((f) => f.fc), new Date(now));
  const smart = smartQueues ?? new Set([...stats.keys()].map((k) => k.split("|")[0]));
  return new Map(failed.filter((f) => smart.has(f.fc.queue)).map((f) => [f.job.id, smartAdvice(f.fc.category, f.message, stats.get(classKey(f.fc)))]));
}
