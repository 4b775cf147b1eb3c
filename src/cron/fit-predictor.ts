import { withDb, type Db } from "../db/client";
import { latestModel, saveModel, trainingSamples } from "../db/queries/predictor";
import type { Env } from "../env";
import { fitSuccessModel, type SuccessModel } from "../insights/predictor";

/** Below this many finished attempts a model would say nothing the base rate does not. */
export const MIN_TRAINING_SAMPLES = 20;
/** A model younger than this is kept: history moves slowly, and a fit costs the tick CPU time. */
export const REFIT_EVERY_MS = 10 * 60_000;

/** Fits the success model on recent history and stores it; null when there is too little history. */
export async function fitFromHistory(db: Db, now: number): Promise<{ model: SuccessModel; trainedAt: Date } | null> {
  const samples = await trainingSamples(db, new Date(now));
  if (samples.length < MIN_TRAINING_SAMPLES) return null;
  const model = fitSuccessModel(samples);
  await saveModel(db, model, new Date(now));
  return { model, trainedAt: new Date(now) };
}

/** The cron duty: refit the success predictor on the attempt history once its model is stale. */
export async function runOnce(env: Env, now: number): Promise<{ samples: number } | null> {
  return withDb(env, async (db) => {
    const latest = await latestModel(db);
    if (latest && now - latest.trainedAt.getTime() < REFIT_EVERY_MS) return null;
    const fitted = await fitFromHistory(db, now);
    return fitted ? { samples: fitted.model.samples } : null;
  });
}
