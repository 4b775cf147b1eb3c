import type { z } from "@hono/zod-openapi";
import type * as A from "../../src/api/schemas/analytics-responses";
import type * as R from "../../src/api/schemas/responses";
import type { LiveEvent } from "../../src/live/events";

/** The API's shapes, taken from the server's own response schemas. */
export type Job = z.infer<typeof R.jobSchema>;
export type JobWithAttempts = z.infer<typeof R.jobWithAttemptsSchema>;
export type JobPage = z.infer<typeof R.jobPageSchema>;
export type Queue = z.infer<typeof R.queueSchema>;
export type Schedule = z.infer<typeof R.scheduleSchema>;
export type SchedulePreview = z.infer<typeof R.schedulePreviewSchema>;
export type Overview = z.infer<typeof A.overviewSchema>;
export type QueueActivity = Overview["queues"][number];
export type Throughput = z.infer<typeof A.throughputSchema>;
export type Durations = z.infer<typeof A.durationsSchema>;
export type Attempts = z.infer<typeof A.attemptsSchema>;
export type Sla = z.infer<typeof A.slaSchema>;
export type ByHour = z.infer<typeof A.byHourSchema>;
export type TopErrors = z.infer<typeof A.topErrorsSchema>;
export type { LiveEvent };
export type JobState = Job["state"];
export type Insight = z.infer<typeof R.insightSchema>;
export type InsightPage = z.infer<typeof R.insightPageSchema>;
export type Anomaly = z.infer<typeof R.anomalySchema>;
