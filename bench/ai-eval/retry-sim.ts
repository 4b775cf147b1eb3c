import { decideFailure } from "../../src/core/failure-decision";
import { classify } from "../../src/insights/analyzer";
import { smartAdvice, type RecoveryStat } from "../../src/insights/retry-policy";
import type { FailureCategory } from "../../src/insights/verdict";
import { prng } from "../lib/prng";
import { attemptFails, drawJobs, SIM_BACKOFF, SIM_MAX_ATTEMPTS, type SimJob } from "./workload";

export interface SimResult {
  jobs: number;
  successes: number;
  attempts: number;
  /** Attempts spent on jobs that never succeeded. */
  wastedAttempts: number;
}

interface Finished {
  at: number;
  type: string;
  completed: boolean;
  attempts: number;
  /** The categories the job failed with, and the attempt each was first seen on. */
  failures: Map<FailureCategory, number>;
}

/**
 * Runs a workload under the fixed or the smart retry policy, with the production decision code
 * (`decideFailure`, `classify`, `smartAdvice`). The smart policy learns its recovery rates from the
 * jobs finished so far, counted as the recovery-stats query counts them.
 */
export function simulateRetries(policy: "fixed" | "smart", seed: number, n = 4000): SimResult {
  const jobs: SimJob[] = drawJobs(n, prng(seed));
  const r = prng(seed + 1);
  const stats = new Map<string, RecoveryStat>();
  const pending: Finished[] = [];
  const learn = (now: number) => {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length > 0 && pending[0]!.at <= now) {
      const f = pending.shift()!;
      for (const [category, attempt] of f.failures) {
        if (!f.completed && f.attempts <= attempt) continue;
        const key = `${f.type}|${category}`;
        const s = stats.get(key) ?? { samples: 0, recovered: 0 };
        stats.set(key, { samples: s.samples + 1, recovered: s.recovered + (f.completed ? 1 : 0) });
      }
    }
  };
  const result: SimResult = { jobs: n, successes: 0, attempts: 0, wastedAttempts: 0 };
  for (const job of jobs) {
    let at = job.arrivalMs;
    let attempt = 0;
    let lastBackoffMs: number | null = null;
    let completed = false;
    const failures = new Map<FailureCategory, number>();
    for (;;) {
      attempt++;
      if (!attemptFails(job, at, r)) {
        completed = true;
        break;
      }
      const fate = job.fate!;
      const error = { name: fate.name, message: fate.message(r), retryable: fate.retryable ?? true };
      const category = classify({ error, timedOut: false }).category;
      if (!failures.has(category)) failures.set(category, attempt);
      learn(at);
      const advice = policy === "smart" ? smartAdvice(category, error.message, stats.get(`${job.type.type}|${category}`)) : undefined;
      const decision = decideFailure(
        { attempt, attemptBase: 0, maxAttempts: SIM_MAX_ATTEMPTS, backoff: SIM_BACKOFF, lastBackoffMs, retryable: error.retryable, retryAfterMs: advice?.waitMs, neverRecovers: advice?.neverRecovers },
        at,
        r,
      );
      if (decision.kind === "dead") break;
      lastBackoffMs = decision.delayMs;
      at = decision.runAt;
    }
    result.attempts += attempt;
    if (completed) result.successes++;
    else result.wastedAttempts += attempt;
    pending.push({ at, type: job.type.type, completed, attempts: attempt, failures });
  }
  return result;
}
