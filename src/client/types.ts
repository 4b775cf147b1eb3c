import type { z } from "zod";
import type { AnalyticsRouteDefs } from "../api/routes/analytics";
import type { AnomalyRouteDefs } from "../api/routes/anomalies";
import type { CapacityRouteDefs } from "../api/routes/capacity";
import type { InsightRouteDefs } from "../api/routes/insights";
import type { JobEventRouteDefs } from "../api/routes/job-events";
import type { PlanningRouteDefs } from "../api/routes/planning";
import type { PredictionRouteDefs } from "../api/routes/predictions";
import type { DlqRouteDefs } from "../api/routes/dlq";
import type { HealthRouteDef } from "../api/routes/health";
import type { JobBatchRouteDefs } from "../api/routes/job-batches";
import type { JobRouteDefs } from "../api/routes/jobs";
import type { KeyRouteDefs } from "../api/routes/keys";
import type { TenantRouteDefs } from "../api/routes/tenants";
import type { QueueRouteDefs } from "../api/routes/queues";
import type { RateLimitRouteDefs } from "../api/routes/rate-limits";
import type { ScheduleRouteDefs } from "../api/routes/schedules";
import type { EndpointRouteDefs } from "../api/routes/endpoints";
import type { PullRouteDefs } from "../api/routes/pull";
import type { WebhookRouteDefs } from "../api/routes/webhooks";
import type { WorkerRouteDefs } from "../api/routes/workers";
import type { ErrorCode } from "../api/errors";
import type { JobBatchBody } from "../api/schemas/job-input";
import type { JobState } from "../core/states";

/**
 * Every type the client speaks, read off the server's own route definitions (their zod schemas), so
 * the client and the API cannot drift apart. Only types are imported: nothing of the server runs here.
 */

type JsonSchema<X> = X extends { content: { "application/json": { schema: infer S extends z.ZodType } } } ? S : never;
type Responses<R> = R extends { responses: infer Rs } ? Rs : never;

/** What a route answers with on success (200 or 201). */
export type Ok<R> = z.output<JsonSchema<Responses<R>[Extract<keyof Responses<R>, 200 | 201>]>>;
/** The JSON body a route accepts, as the caller writes it (defaults optional). */
export type Body<R> = R extends { request: { body: infer B } } ? z.input<JsonSchema<B>> : never;
/** The query a route accepts, as the caller writes it. */
export type Query<R> = R extends { request: { query: infer Q extends z.ZodType } } ? z.input<Q> : never;

export type { ErrorCode, JobState };

export type JobInput = Body<JobRouteDefs["submit"]>;
export type BatchInput = Body<JobRouteDefs["submitBatch"]>;
export type SubmittedJob = Ok<JobRouteDefs["submit"]>;
export type BatchSubmitted = Ok<JobRouteDefs["submitBatch"]>;
export type JobListQuery = Query<JobRouteDefs["list"]>;
export type JobPage = Ok<JobRouteDefs["list"]>;
export type Job = Ok<JobRouteDefs["cancel"]>;
export type JobWithAttempts = Ok<JobRouteDefs["get"]>;
export type Attempt = JobWithAttempts["attempts"][number];
export type JobGraph = Ok<JobRouteDefs["graph"]>;
export type JobEvents = Ok<JobEventRouteDefs["jobTrail"]>;
export type EventLogQuery = Query<JobEventRouteDefs["log"]>;
export type EventLogPage = Ok<JobEventRouteDefs["log"]>;

export type JobBatchInput = JobBatchBody;
export type JobBatchSubmitted = Ok<JobBatchRouteDefs["submit"]>;
export type JobBatch = Ok<JobBatchRouteDefs["get"]>;

export type RateLimitPolicy = Body<RateLimitRouteDefs["put"]>;
export type RateLimitKey = Ok<RateLimitRouteDefs["get"]>;
export type RateLimitDeleted = Ok<RateLimitRouteDefs["remove"]>;

export type DlqListQuery = Query<DlqRouteDefs["list"]>;
export type DlqRetryInput = Body<DlqRouteDefs["retry"]>;
export type DlqRetried = Ok<DlqRouteDefs["retry"]>;
export type Deleted = Ok<DlqRouteDefs["remove"]>;

export type Queue = Ok<QueueRouteDefs["get"]>;
export type QueueSettings = Body<QueueRouteDefs["put"]>;

export type TenantInput = Body<TenantRouteDefs["create"]>;
export type TenantUpdate = Body<TenantRouteDefs["update"]>;
export type Tenant = Ok<TenantRouteDefs["get"]>;

export type ApiKeyInput = Body<KeyRouteDefs["create"]>;
export type CreatedApiKey = Ok<KeyRouteDefs["create"]>;
export type ApiKey = Ok<KeyRouteDefs["revoke"]>;

export type ScheduleInput = Body<ScheduleRouteDefs["create"]>;
export type ScheduleUpdate = Body<ScheduleRouteDefs["put"]>;
export type Schedule = Ok<ScheduleRouteDefs["get"]>;
export type SchedulePreview = Ok<ScheduleRouteDefs["preview"]>;
export type ScheduleTriggered = Ok<ScheduleRouteDefs["trigger"]>;

export type Health = Ok<HealthRouteDef>;

export type ScalingQuery = Query<CapacityRouteDefs["scaling"]>;
export type ScalingAdvice = Ok<CapacityRouteDefs["scaling"]>;

export type PredictInput = Body<PredictionRouteDefs["predict"]>;
export type Prediction = Ok<PredictionRouteDefs["predict"]>;
export type JobEta = Ok<PredictionRouteDefs["eta"]>;

export type Insight = Ok<InsightRouteDefs["get"]>;
export type InsightListQuery = Query<InsightRouteDefs["list"]>;
export type InsightPage = Ok<InsightRouteDefs["list"]>;

export type AnomalyListQuery = Query<AnomalyRouteDefs["list"]>;
export type AnomalyPage = Ok<AnomalyRouteDefs["list"]>;

export type WebhookInput = Body<WebhookRouteDefs["create"]>;
export type WebhookUpdate = Body<WebhookRouteDefs["put"]>;
export type CreatedWebhook = Ok<WebhookRouteDefs["create"]>;
export type Webhook = Ok<WebhookRouteDefs["get"]>;
export type DeliveryListQuery = Query<WebhookRouteDefs["deliveries"]>;
export type WebhookDelivery = Ok<WebhookRouteDefs["deliveries"]>["deliveries"][number];

export type EndpointInput = Body<EndpointRouteDefs["put"]>;
export type Endpoint = Ok<EndpointRouteDefs["get"]>;

export type LeaseInput = Body<PullRouteDefs["lease"]>;
export type LeasedJob = Ok<PullRouteDefs["lease"]>["jobs"][number];
export type HeartbeatInput = Body<PullRouteDefs["heartbeat"]>;
export type LeaseExtended = Ok<PullRouteDefs["heartbeat"]>;
export type FailInput = Body<PullRouteDefs["fail"]>;
export type WorkerAnnouncement = Body<WorkerRouteDefs["announce"]>;
export type WorkerInfo = Ok<WorkerRouteDefs["announce"]>;

/** The analytics reads (under /api/v1/analytics), by name: their query and their answer. */
type AnalyticsDefs = AnalyticsRouteDefs & PlanningRouteDefs & { slowJobs: CapacityRouteDefs["slowJobs"] };
export type AnalyticsName = keyof AnalyticsDefs;
export type AnalyticsQuery<N extends AnalyticsName> = Query<AnalyticsDefs[N]>;
export type AnalyticsResult<N extends AnalyticsName> = Ok<AnalyticsDefs[N]>;

/** The API's error body. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown };
}
