import { z } from "zod";

/** What the success predictor knows about an attempt before it runs. */
export interface AttemptFeatures {
  type: string;
  queue: string;
  payloadBytes: number;
  /** Jobs waiting in the queue when the attempt starts. */
  backlog: number;
  /** The attempt within the job's budget (1 for a first run). */
  attempt: number;
}

/** A fitted logistic regression over one-hot type and queue and scaled numeric features. */
export const successModelSchema = z.object({
  types: z.array(z.string()),
  queues: z.array(z.string()),
  /** Mean and standard deviation of each numeric feature, for scaling. */
  scale: z.array(z.object({ mean: z.number(), sd: z.number() })),
  weights: z.array(z.number()),
  bias: z.number(),
  samples: z.number().int(),
  baseRate: z.number(),
});
export type SuccessModel = z.infer<typeof successModelSchema>;

const NUMERIC = ["log payload bytes", "log backlog", "retry"] as const;

function numeric(f: AttemptFeatures): number[] {
  return [Math.log1p(Math.max(0, f.payloadBytes)), Math.log1p(Math.max(0, f.backlog)), f.attempt > 1 ? 1 : 0];
}

function featureNames(m: Pick<SuccessModel, "types" | "queues">): string[] {
  return [...m.types.map((t) => `type=${t}`), ...m.queues.map((q) => `queue=${q}`), ...NUMERIC];
}

/** The model's input vector: one-hot type and queue (unknown ones are all zeros), then scaled numerics. */
function vector(m: Pick<SuccessModel, "types" | "queues" | "scale">, f: AttemptFeatures): number[] {
  const nums = numeric(f).map((x, i) => (x - m.scale[i]!.mean) / m.scale[i]!.sd);
  return [...m.types.map((t) => (t === f.type ? 1 : 0)), ...m.queues.map((q) => (q === f.queue ? 1 : 0)), ...nums];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Fits P(success | features) by full-batch gradient descent with L2 regularisation: a few thousand
 * samples and a few dozen features fit in milliseconds, in plain TypeScript, on the cron tick.
 */
export function fitSuccessModel(samples: { features: AttemptFeatures; success: boolean }[], options = { epochs: 300, rate: 0.5, l2: 1e-3 }): SuccessModel {
  const types = [...new Set(samples.map((s) => s.features.type))].sort();
  const queues = [...new Set(samples.map((s) => s.features.queue))].sort();
  const raw = samples.map((s) => numeric(s.features));
  const scale = NUMERIC.map((_, i) => {
    const xs = raw.map((r) => r[i]!);
    const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length)) || 1;
    return { mean, sd };
  });
  const shape = { types, queues, scale };
  const xs = samples.map((s) => vector(shape, s.features));
  const ys = samples.map((s) => (s.success ? 1 : 0));
  const n = Math.max(1, samples.length);
  const baseRate = ys.reduce<number>((a, b) => a + b, 0) / n;
  const weights = new Array<number>(types.length + queues.length + NUMERIC.length).fill(0);
  let bias = Math.log((baseRate + 1e-3) / (1 - baseRate + 1e-3));
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const grad = new Array<number>(weights.length).fill(0);
    let gradBias = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const err = sigmoid(bias + x.reduce((a, v, j) => a + v * weights[j]!, 0)) - ys[i]!;
      for (let j = 0; j < x.length; j++) grad[j]! += err * x[j]!;
      gradBias += err;
    }
    for (let j = 0; j < weights.length; j++) weights[j]! -= options.rate * (grad[j]! / n + options.l2 * weights[j]!);
    bias -= options.rate * (gradBias / n);
  }
  return { types, queues, scale, weights, bias, samples: samples.length, baseRate };
}

/** The success probability of an attempt and the features that moved it most from the base rate. */
export function predictSuccess(model: SuccessModel, f: AttemptFeatures): { probability: number; drivers: { feature: string; effect: number }[] } {
  const x = vector(model, f);
  const names = featureNames(model);
  const contributions = x.map((v, j) => ({ feature: names[j]!, effect: v * model.weights[j]! }));
  const probability = sigmoid(model.bias + contributions.reduce((a, c) => a + c.effect, 0));
  const drivers = contributions
    .filter((c) => Math.abs(c.effect) > 1e-3)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, 5)
    .map((c) => ({ feature: c.feature, effect: Math.round(c.effect * 1000) / 1000 }));
  return { probability, drivers };
}

/** Area under the ROC curve: the chance a random success scores above a random failure (ties count half). */
export function auc(scored: { score: number; positive: boolean }[]): number {
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.positive) {
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
