import { z } from "@hono/zod-openapi";

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
