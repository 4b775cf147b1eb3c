import { isFinal } from "../core/states";
import type { Refusal } from "../db/queries/claim-jobs";
import type { Env } from "../env";
import { log } from "../log";
import { schedulerFor } from "../scheduler/stub";
import type { LeaseReport } from "../scheduler/types";

/**
 * Tells each queue's scheduler, one call per queue. Postgres already holds the outcomes, so a
 * scheduler that misses a report recovers by lease expiry.
 */
export async function reportToSchedulers(env: Env, reports: { queue: string; report: LeaseReport }[]): Promise<void> {
  const byQueue = Map.groupBy(reports, (r) => r.queue);
  await Promise.all(
    [...byQueue].map(([queue, list]) =>
      schedulerFor(env, queue)
        .report(queue, list.map((r) => r.report))
        .catch((error: unknown) => log("error", "reporting outcomes to the scheduler failed", { queue, outcomes: list.length }, error)),
    ),
  );
}

/** Refused deliveries whose job is final (or gone): each tells its queue's scheduler to forget the job. */
export function finalRefusalReports(refused: Refusal[], queueOf: (id: string) => string | undefined): { queue: string; report: LeaseReport }[] {
  return refused.flatMap((r) => {
    const queue = queueOf(r.id);
    return queue && (r.state === null || isFinal(r.state)) ? [{ queue, report: { id: r.id, lease: r.lease, kind: "drop" as const } }] : [];
  });
}
