/**
 * The insights evaluation: (1) the built-in analyzer's accuracy on the labelled corpus, (2) fixed vs
 * smart retries on a simulated workload, (3) the success predictor on held-out simulated history.
 * `npm run bench:ai-eval`. Everything is seeded: the same figures on every run.
 */
import { evaluateCorpus, loadCorpus } from "./corpus";
import { evaluatePredictor } from "./predictor-eval";
import { simulateRetries } from "./retry-sim";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const corpus = evaluateCorpus(loadCorpus());
console.log(`\n1. Built-in analyzer on ${corpus.total} labelled errors: ${corpus.correct} correct, accuracy ${pct(corpus.accuracy)}`);
for (const [category, { total, correct }] of Object.entries(corpus.perCategory)) console.log(`   ${category.padEnd(20)} ${correct}/${total}`);
if (process.argv.includes("--misses")) for (const m of corpus.misses) console.log(`   miss: ${m.entry.label} → ${m.got}: ${m.entry.name}: ${m.entry.message.slice(0, 90)}`);

console.log("\n2. Retries on a simulated workload (4,000 jobs, 5 attempts, exponential backoff with full jitter)");
console.log("   seed  policy  successes  attempts  wasted (attempts on jobs that never succeed)");
const totals = { fixed: { s: 0, w: 0 }, smart: { s: 0, w: 0 } };
for (const seed of [1, 2, 3]) {
  for (const policy of ["fixed", "smart"] as const) {
    const r = simulateRetries(policy, seed);
    totals[policy].s += r.successes;
    totals[policy].w += r.wastedAttempts;
    console.log(`   ${seed}     ${policy.padEnd(6)}  ${String(r.successes).padStart(9)}  ${String(r.attempts).padStart(8)}  ${String(r.wastedAttempts).padStart(6)}`);
  }
}
console.log(`   smart vs fixed: ${pct(1 - totals.smart.w / totals.fixed.w)} fewer wasted attempts, successes ${totals.smart.s >= totals.fixed.s ? "+" : ""}${pct(totals.smart.s / totals.fixed.s - 1)} (goal: ≥30% fewer, ≥ −1%)`);

console.log("\n3. Success predictor (logistic regression), fitted on the older 70% of simulated attempt history, scored on the newer 30%");
for (const seed of [1, 2, 3]) {
  const r = evaluatePredictor(seed);
  console.log(`   seed ${seed}: ${r.heldOut} held-out attempts, accuracy ${pct(r.accuracy)} (majority class ${pct(r.majorityBaseline)}), AUC ${r.auc.toFixed(3)} (goal > 0.8)`);
}
