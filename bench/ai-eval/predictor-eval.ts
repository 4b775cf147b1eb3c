import { decideFailure } from "../../src/core/failure-decision";
import { auc, fitSuccessModel, predictSuccess, type AttemptFeatures } from "../../src/insights/predictor";
import { prng } from "../lib/prng";
import { attemptFails, drawJobs, SIM_BACKOFF, SIM_MAX_ATTEMPTS } from "./workload";

/** Every attempt of a simulated workload under the fixed policy, in time order, as predictor samples. */
export function simulatedHistory(seed: number, n: number): { features: AttemptFeatures; success: boolean }[] {
  const r = prng(seed + 7);
  const samples: { features: AttemptFeatures; success: boolean; at: number }[] = [];
  for (const job of drawJobs(n, prng(seed))) {
    let at = job.arrivalMs;
    let lastBackoffMs: number | null = null;
    for (let attempt = 1; ; attempt++) {
      const failed = attemptFails(job, at, r);
      const queue = job.type.type === "charge-card" ? "payments" : job.type.type === "send-email" ? "emails" : "default";
      samples.push({ features: { type: job.type.type, queue, payloadBytes: job.payloadBytes, backlog: job.backlog, attempt }, success: !failed, at });
      if (!failed) break;
      const decision = decideFailure({ attempt, attemptBase: 0, maxAttempts: SIM_MAX_ATTEMPTS, backoff: SIM_BACKOFF, lastBackoffMs, retryable: job.fate?.retryable ?? true }, at, r);
      if (decision.kind === "dead") break;
      lastBackoffMs = decision.delayMs;
      at = decision.runAt;
    }
  }
  return samples.sort((a, b) => a.at - b.at).map(({ features, success }) => ({ features, success }));
}

/** Fits on the older 70% of the history and scores the newer 30%: accuracy at 0.5 and AUC. */
export function evaluatePredictor(seed: number, n = 4000) {
  const history = simulatedHistory(seed, n);
  const cut = Math.floor(history.length * 0.7);
  const model = fitSuccessModel(history.slice(0, cut));
  const held = history.slice(cut).map((s) => ({ score: predictSuccess(model, s.features).probability, positive: s.success }));
  const correct = held.filter((h) => h.score >= 0.5 === h.positive).length;
  const baseline = Math.max(...[true, false].map((v) => held.filter((h) => h.positive === v).length)) / held.length;
  return { trained: cut, heldOut: held.length, accuracy: correct / held.length, majorityBaseline: baseline, auc: auc(held) };
}
