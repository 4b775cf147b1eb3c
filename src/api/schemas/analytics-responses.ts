import { z } from "@hono/zod-openapi";
import { ratePolicySchema } from "../../core/rate-window";
import { QUEUE_MODES } from "../../core/states";

/** What the analytics routes answer with; the dashboard imports these types too. */

const time = z.string().openapi({ format: "date-time" });
const windowOut = { from: time, to: time };
const ms = z.number().nullable();
const histogramSchema = z.array(z.object({ leMs: z.number().nullable(), count: z.number().int() }));

export const overviewSchema = z.object({
  queues: z.array(
    z.object({
      queue: z.string(),
      paused: z.boolean(),
      concurrency: z.number().int(),
      rateLimit: ratePolicySchema.nullable(),
      mode: z.enum(QUEUE_MODES),
      pending: z.number().int(),
      waiting: z.number().int(),
      scheduled: z.number().int(),
      queued: z.number().int(),
      running: z.number().int(),
      completedToday: z.number().int(),
      failedToday: z.number().int(),
      deadToday: z.number().int(),
      avgDurationMs: ms,
      oldestQueuedAgeMs: ms,
      health: z.enum(["green", "yellow", "red"]),
    }),
  ),
});

export const throughputSchema = z.object({
  ...windowOut,
  stepMs: z.number().int(),
  series: z.array(z.object({ start: time, submitted: z.number(), completed: z.number(), failed: z.number(), retried: z.number(), dead: z.number() })),
});

export const durationsSchema = z.object({ ...windowOut, count: z.number().int(), avgMs: ms, p50Ms: ms, p95Ms: ms, p99Ms: ms, histogram: histogramSchema });

export const attemptsSchema = z.object({
  ...windowOut,
  finished: z.number().int(),
  dead: z.number().int(),
  deadShare: ms,
  attempts: z.array(z.object({ attempt: z.number().int(), orLater: z.boolean(), completed: z.number().int(), share: ms })),
});

export const slaSchema = z.object({ ...windowOut, targetMs: z.number().int(), completed: z.number().int(), withinShare: ms });

export const byHourSchema = z.object({ ...windowOut, tz: z.string(), hours: z.array(z.object({ hour: z.number().int(), submitted: z.number().int() })) });

export const topErrorsSchema = z.object({
  ...windowOut,
  errors: z.array(
    z.object({ fingerprint: z.string(), errorName: z.string(), sampleMessage: z.string(), count: z.number().int(), queues: z.array(z.string()), types: z.array(z.string()), lastSeenAt: time }),
  ),
});

export const timelineSchema = z.object({
  ...windowOut,
  attempts: z.array(z.object({ jobId: z.uuid(), queue: z.string(), type: z.string(), attempt: z.number().int(), startedAt: time, finishedAt: time.nullable(), outcome: z.string().nullable() })),
});

const money = z.number().openapi({ description: "US dollars." });
const costSchema = z.object({ workers: money, queues: money, durableObjects: money, database: money, total: money });
const costFields = {
  submitted: z.number().int(),
  attempts: z.number().int(),
  failedAttempts: z.number().int(),
  computeSeconds: z.number(),
  wastedComputeSeconds: z.number(),
  cost: costSchema,
  retryCost: money,
};

export const costReportSchema = z.object({
  ...windowOut,
  prices: z.record(z.string(), z.number()),
  assumptions: z.record(z.string(), z.number()).openapi({ description: "Platform operations per job and per attempt the estimate assumes." }),
  totals: z.object(costFields),
  byType: z.array(
    z.object({
      queue: z.string(),
      type: z.string(),
      ...costFields,
      usage: z.object({ workersRequests: z.number(), workersCpuMs: z.number(), queueOperations: z.number(), durableObjectRequests: z.number(), databaseSeconds: z.number() }),
      costPerThousandJobs: money.nullable(),
    }),
  ),
});

const dayForecastSchema = z.object({ day: time, expected: z.number(), low: z.number(), high: z.number(), peakHourly: z.number(), peakAt: time });

export const forecastSchema = z.object({
  generatedAt: time,
  targetLatencyMs: z.number().int(),
  atRisk: z.array(z.string()).openapi({ description: "Queues whose forecast peak needs more concurrency than they have." }),
  queues: z.array(
    z.object({
      queue: z.string(),
      status: z.enum(["ok", "not_enough_history"]),
      historyHours: z.number().int(),
      levelPerHour: z.number().nullable(),
      trendPerDay: z.number().nullable(),
      next7Days: z.number().nullable(),
      next30Days: z.number().nullable(),
      days: z.array(dayForecastSchema),
      currentConcurrency: z.number().int(),
      neededConcurrency: z.number().int().nullable(),
      atRisk: z.boolean(),
      reasoning: z.string(),
      backtest: z.object({ heldBackHours: z.number().int(), wape: z.number(), naiveWape: z.number() }).nullable(),
    }),
  ),
});
