import { withDb, type Db } from "../db/client";
import { fileFailures, recordAiAnswer, type FailureRecord } from "../db/queries/insights";
import type { JobErrorRecord, JobRow } from "../db/schema";
import type { Env } from "../env";
import { log } from "../log";
import { analyzeFailure, type FailureFacts } from "./analyzer";
import { failureFingerprint } from "./fingerprint";
import { askWorkersAi, DEFAULT_AI_MODEL } from "./workers-ai";

/** Failures with one fingerprint within this window share one insight (and at most one AI call). */
export const INSIGHT_WINDOW_MS = 10 * 60_000;

/** A failed attempt as the consumer saw it: the job as claimed, and what went wrong. */
export interface FailedAttempt {
  job: Pick<JobRow, "id" | "queue" | "type" | "attempt" | "attemptBase" | "maxAttempts">;
  error: JobErrorRecord;
  timedOut: boolean;
}

export function failureFacts({ job, error, timedOut }: FailedAttempt): FailureFacts {
  const attempt = job.attempt - job.attemptBase;
  return { queue: job.queue, type: job.type, error, timedOut, attempt, maxAttempts: job.maxAttempts, previousFailures: Math.max(0, attempt - 1) };
}

/**
 * Explains failed attempts: the built-in verdict for each, filed in one statement under its
 * fingerprint; then, for each insight this call created, Workers AI (when bound) is asked and its
 * validated answer replaces the built-in one. Returns the insights touched.
 */
export async function explainFailures(env: Env, db: Db, failures: FailedAttempt[], now: number): Promise<{ id: string; fingerprint: string; created: boolean }[]> {
  const analysed = failures.map((f) => {
    const facts = failureFacts(f);
    const verdict = analyzeFailure(facts);
    const record: FailureRecord = {
      jobId: f.job.id,
      attempt: f.job.attempt,
      queue: f.job.queue,
      jobType: f.job.type,
      fingerprint: failureFingerprint({ queue: f.job.queue, type: f.job.type, error: f.error }),
      error: f.error,
      verdict,
    };
    return { facts, record };
  });
  const windowStart = new Date(Math.floor(now / INSIGHT_WINDOW_MS) * INSIGHT_WINDOW_MS);
  const filed = await fileFailures(db, analysed.map((a) => a.record), windowStart, new Date(now));
  const ai = env.AI;
  if (ai) {
    const model = env.AI_MODEL || DEFAULT_AI_MODEL;
    await Promise.all(
      filed
        .filter((insight) => insight.created)
        .map(async (insight) => {
          const first = analysed.find((a) => a.record.fingerprint === insight.fingerprint)!;
          const answer = await askWorkersAi(ai, model, first.facts, first.record.verdict);
          await recordAiAnswer(db, insight.id, answer.ok ? { verdict: answer.verdict, model } : { error: answer.reason, model });
        }),
    );
  }
  return filed;
}

/**
 * The consumer's hook, run under `waitUntil` after the outcomes are written: its own connection,
 * and every error logged, never thrown, so an insight can neither delay nor fail a job.
 */
export async function recordFailureInsights(env: Env, failures: FailedAttempt[], now: number): Promise<void> {
  if (failures.length === 0) return;
  try {
    await withDb(env, (db) => explainFailures(env, db, failures, now));
  } catch (error) {
    log("error", "failure insights were not recorded", { failures: failures.length, jobIds: failures.map((f) => f.job.id) }, error);
  }
}
