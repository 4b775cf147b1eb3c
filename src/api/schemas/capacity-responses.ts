import { z } from "@hono/zod-openapi";

/** What the capacity and prediction routes answer with; the dashboard reads these types too. */

export const scalingSchema = z
  .object({
    queue: z.string(),
    targetLatencyMs: z.number().int(),
    windowMs: z.number().int(),
    currentConcurrency: z.number().int(),
    recommendedConcurrency: z.number().int().nullable().openapi({ description: "Null when no concurrency can meet the target, or nothing ran." }),
    utilisation: z.number(),
    measured: z.object({ arrivalPerSec: z.number(), serviceMs: z.number(), attemptsPerJob: z.number(), throughputPerSec: z.number(), backlog: z.number().int() }),
    reasoning: z.string(),
  })
  .openapi("ScalingAdvice");

export const slowJobsSchema = z
  .object({
    since: z.string(),
    types: z.array(
      z.object({ type: z.string(), attempts: z.number().int(), timeouts: z.number().int(), p50Ms: z.number(), p95Ms: z.number(), maxMs: z.number(), timeoutMs: z.number(), suggestion: z.string() }),
    ),
  })
  .openapi("SlowJobs");

export const predictionSchema = z
  .object({
    probability: z.number().min(0).max(1),
    drivers: z.array(z.object({ feature: z.string(), effect: z.number().openapi({ description: "Log-odds this feature adds (+) or takes away (−)." }) })),
    features: z.object({ type: z.string(), queue: z.string(), payloadBytes: z.number().int(), backlog: z.number().int(), attempt: z.number().int() }),
    model: z.object({ trainedAt: z.string(), samples: z.number().int(), baseRate: z.number() }),
  })
  .openapi("SuccessPrediction");

export const etaSchema = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    position: z.number().int(),
    effectiveConcurrency: z.number(),
    meanDurationMs: z.number(),
    startsAt: z.string(),
    finishesAt: z.string(),
  })
  .openapi("JobEta");
