import { FINAL_STATES } from "../core/states";
import type { LiveEvent } from "../live/events";
import { EdgeqTimeoutError } from "./errors";
import { queryString, Transport, type QueryValues, type TransportOptions } from "./http";
import type {
  AnalyticsName,
  AnalyticsQuery,
  AnalyticsResult,
  AnomalyListQuery,
  AnomalyPage,
  ApiKey,
  ApiKeyInput,
  BatchInput,
  BatchSubmitted,
  CreatedApiKey,
  Deleted,
  DlqListQuery,
  DlqRetried,
  DlqRetryInput,
  Health,
  Insight,
  InsightListQuery,
  InsightPage,
  Job,
  JobInput,
  JobListQuery,
  JobPage,
  JobBatch,
  JobBatchInput,
  JobBatchSubmitted,
  JobEta,
  EventLogPage,
  EventLogQuery,
  JobEvents,
  JobGraph,
  JobWithAttempts,
  PredictInput,
  Prediction,
  Queue,
  QueueSettings,
  RateLimitDeleted,
  RateLimitKey,
  RateLimitPolicy,
  Schedule,
  ScheduleInput,
  SchedulePreview,
  ScheduleTriggered,
  ScalingAdvice,
  ScalingQuery,
  ScheduleUpdate,
  SubmittedJob,
  CreatedWebhook,
  DeliveryListQuery,
  Endpoint,
  EndpointInput,
  FailInput,
  HeartbeatInput,
  LeasedJob,
  LeaseExtended,
  LeaseInput,
  Webhook,
  WebhookDelivery,
  WebhookInput,
  WebhookUpdate,
  WorkerAnnouncement,
  WorkerInfo,
  Tenant,
  TenantInput,
  TenantUpdate,
} from "./types";

export type EdgeqClientOptions = TransportOptions;
export type { LiveEvent };

export interface WaitOptions {
  /** Give up (with {@link EdgeqTimeoutError}) after this long; default 60 s. */
  timeoutMs?: number;
  /** The longest pause between two polls; polls start at 100 ms and double up to it (default 1 s). */
  maxIntervalMs?: number;
}

export interface TailOptions {
  queue?: readonly string[];
  type?: readonly LiveEvent["type"][];
  /** Ends the stream. */
  signal?: AbortSignal;
  /** Called once the subscription is live: events from then on are delivered. */
  onOpen?: () => void;
}

const ANALYTICS_PATHS: Record<AnalyticsName, string> = {
  overview: "overview",
  throughput: "throughput",
  durations: "durations",
  attempts: "attempts",
  sla: "sla",
  submissionsByHour: "submissions-by-hour",
  errors: "errors",
  timeline: "timeline",
  slowJobs: "slow-jobs",
  cost: "cost",
  forecast: "forecast",
};

const id = (value: string) => encodeURIComponent(value);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Follows `nextCursor` until the last page. */
async function* pages<P extends { nextCursor: string | null }>(fetchPage: (cursor: string | undefined) => Promise<P>, cursor: string | undefined): AsyncGenerator<P> {
  for (;;) {
    const page = await fetchPage(cursor);
    yield page;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/**
 * A job submitted without an idempotency key gets one, so a retried submit cannot make it twice;
 * not one with its own id (already idempotent) or a debounce key (which decides which job it is).
 */
function withIdempotencyKey<J extends { idempotencyKey?: string; id?: string; debounce?: unknown }>(job: J): J {
  return job.idempotencyKey || job.id || job.debounce ? job : { ...job, idempotencyKey: crypto.randomUUID() };
}

/**
 * A typed client for edgeq's HTTP API. It uses only `fetch` (and `WebSocket` for {@link tail}), so it
 * runs in Node 22, browsers and Workers. Every failure the API reports is thrown as an `EdgeqError`
 * with the API's code; answers 429 and 503 are retried after `Retry-After`.
 *
 * ```ts
 * const edgeq = new EdgeqClient({ url: "https://edgeq.example.workers.dev", key: process.env.EDGEQ_KEY! });
 * const job = await edgeq.submit({ queue: "emails", type: "send-welcome", payload: { to: "a@example.com" } });
 * const done = await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
 * ```
 */
export class EdgeqClient {
  readonly #http: Transport;
  readonly #url: string;
  readonly #key: string;

  constructor(options: EdgeqClientOptions) {
    this.#http = new Transport(options);
    this.#url = options.url.replace(/\/+$/, "");
    this.#key = options.key;
  }

  /** Submits one job; an idempotency key is made for it unless it has one. */
  submit(job: JobInput): Promise<SubmittedJob> {
    return this.#http.request("POST", "/api/v1/jobs", { body: withIdempotencyKey(job) });
  }

  /** Submits up to 1,000 jobs in one request; each gets an idempotency key unless it has one. */
  submitBatch(input: BatchInput | JobInput[]): Promise<BatchSubmitted> {
    const batch = (Array.isArray(input) ? { jobs: input } : input) as { queue?: string; jobs: JobInput[] };
    return this.#http.request("POST", "/api/v1/jobs/batch", { body: { ...batch, jobs: batch.jobs.map(withIdempotencyKey) } });
  }

  /** The job's dependency graph: what it waits for and what waits for it, as nodes and edges with states. */
  graph(jobId: string): Promise<JobGraph> {
    return this.#http.request("GET", `/api/v1/jobs/${id(jobId)}/graph`);
  }

  /** A job's audit trail: every transition, oldest first, with its time, actor and attempt. */
  events(jobId: string): Promise<JobEvents> {
    return this.#http.request("GET", `/api/v1/jobs/${id(jobId)}/events`);
  }

  /** The audit log across jobs, newest first: one page, or every page with {@link eventLog}. */
  eventLogPage(query: Omit<EventLogQuery, "format"> = {}): Promise<EventLogPage> {
    return this.#http.request("GET", "/api/v1/events/log", { query: query as QueryValues });
  }

  eventLog(query: Omit<EventLogQuery, "format"> = {}): AsyncGenerator<EventLogPage> {
    return pages((cursor) => this.eventLogPage({ ...query, cursor }), query.cursor);
  }

  /** A job with its attempt history. */
  get(jobId: string): Promise<JobWithAttempts> {
    return this.#http.request("GET", `/api/v1/jobs/${id(jobId)}`);
  }

  /** One page of jobs, newest first. */
  listPage(query: JobListQuery = {}): Promise<JobPage> {
    return this.#http.request("GET", "/api/v1/jobs", { query: query as QueryValues });
  }

  /** Every page of jobs matching `query`, newest first: `for await (const page of edgeq.list({ queue }))`. */
  list(query: JobListQuery = {}): AsyncGenerator<JobPage> {
    return pages((cursor) => this.listPage({ ...query, cursor }), query.cursor);
  }

  /** Cancels a job that has not started (409 `job_running` or `job_final` otherwise). */
  cancel(jobId: string): Promise<Job> {
    return this.#http.request("DELETE", `/api/v1/jobs/${id(jobId)}`);
  }

  /** Puts a dead or cancelled job back in its queue with a fresh attempt budget. */
  retry(jobId: string): Promise<Job> {
    return this.#http.request("POST", `/api/v1/jobs/${id(jobId)}/retry`);
  }

  /** Polls until the job is completed, dead or cancelled, and returns it. */
  async waitFor(jobId: string, options: WaitOptions = {}): Promise<JobWithAttempts> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const maxInterval = options.maxIntervalMs ?? 1000;
    const deadline = Date.now() + timeoutMs;
    for (let interval = 100; ; interval = Math.min(interval * 2, maxInterval)) {
      const job = await this.get(jobId);
      if ((FINAL_STATES as readonly string[]).includes(job.state)) return job;
      const left = deadline - Date.now();
      if (left <= 0) throw new EdgeqTimeoutError(jobId, timeoutMs, job.state);
      await sleep(Math.min(interval, left));
    }
  }

  /** The probability that a job like this succeeds, from the attempt history (409 `not_enough_history` early on). */
  predictSuccess(input: PredictInput): Promise<Prediction> {
    return this.#http.request("POST", "/api/v1/jobs/predict-success", { body: input });
  }

  /** When a queued job should start and finish. */
  eta(jobId: string): Promise<JobEta> {
    return this.#http.request("GET", `/api/v1/jobs/${id(jobId)}/eta`);
  }

  /** The dead-letter queue. */
  readonly dlq = {
    listPage: (query: DlqListQuery = {}): Promise<JobPage> => this.#http.request("GET", "/api/v1/dlq", { query: query as QueryValues }),
    list: (query: DlqListQuery = {}): AsyncGenerator<JobPage> => pages((cursor) => this.dlq.listPage({ ...query, cursor }), query.cursor),
    /** Retries dead jobs by id (`{ ids }`) or by filter (`{ filter, limit }`); `more` says a filter matched more. */
    retry: (input: DlqRetryInput): Promise<DlqRetried> => this.#http.request("POST", "/api/v1/dlq/retry", { body: input }),
    delete: (jobId: string): Promise<Deleted> => this.#http.request("DELETE", `/api/v1/dlq/${id(jobId)}`),
  };

  /** Named batches of up to 10,000 jobs, tracked to their completion. */
  readonly batches = {
    /** Submits a batch in one request (all or nothing); each job gets an idempotency key unless it has one. */
    submit: (input: JobBatchInput): Promise<JobBatchSubmitted> =>
      this.#http.request("POST", "/api/v1/job-batches", { body: { ...input, jobs: input.jobs.map(withIdempotencyKey) } }),
    /** A batch's counts by state, progress, and when it finished. */
    get: (batchId: string): Promise<JobBatch> => this.#http.request("GET", `/api/v1/job-batches/${id(batchId)}`),
  };

  /** Shared rate limits by key: jobs naming a `rateLimitKey`, in any queue, start at most `limit` per `periodMs`. */
  readonly rateLimits = {
    list: async (): Promise<RateLimitKey[]> => (await this.#http.request<{ keys: RateLimitKey[] }>("GET", "/api/v1/rate-limits")).keys,
    get: (key: string): Promise<RateLimitKey> => this.#http.request("GET", `/api/v1/rate-limits/${id(key)}`),
    set: (key: string, policy: RateLimitPolicy): Promise<RateLimitKey> => this.#http.request("PUT", `/api/v1/rate-limits/${id(key)}`, { body: policy }),
    delete: (key: string): Promise<RateLimitDeleted> => this.#http.request("DELETE", `/api/v1/rate-limits/${id(key)}`),
  };

  /** Queues: settings, counts, pause and resume. */
  readonly queues = {
    list: async (): Promise<Queue[]> => (await this.#http.request<{ queues: Queue[] }>("GET", "/api/v1/queues")).queues,
    /** A queue with its counts and its scheduler's view (ready, delayed, leased). */
    get: (name: string): Promise<Queue> => this.#http.request("GET", `/api/v1/queues/${id(name)}`),
    /** Creates the queue or changes the given settings. */
    set: (name: string, settings: QueueSettings): Promise<Queue> => this.#http.request("PUT", `/api/v1/queues/${id(name)}`, { body: settings }),
    pause: (name: string): Promise<Queue> => this.#http.request("POST", `/api/v1/queues/${id(name)}/pause`),
    resume: (name: string): Promise<Queue> => this.#http.request("POST", `/api/v1/queues/${id(name)}/resume`),
    /** The concurrency that meets a latency target, from measured arrival and service rates. */
    scaling: (name: string, query: ScalingQuery = {}): Promise<ScalingAdvice> =>
      this.#http.request("GET", `/api/v1/queues/${id(name)}/scaling`, { query: query as QueryValues }),
  };

  /** Failure insights: why jobs failed and what to do (the built-in analyzer or Workers AI). */
  readonly insights = {
    /** Explains a job's newest failure: the insight it shares, or a new one (409 `job_not_failed`). */
    analyze: (jobId: string): Promise<Insight> => this.#http.request("POST", "/api/v1/insights/analyze", { body: { job_id: jobId } }),
    listPage: (query: InsightListQuery = {}): Promise<InsightPage> => this.#http.request("GET", "/api/v1/insights", { query: query as QueryValues }),
    list: (query: InsightListQuery = {}): AsyncGenerator<InsightPage> => pages((cursor) => this.insights.listPage({ ...query, cursor }), query.cursor),
    get: (insightId: string): Promise<Insight> => this.#http.request("GET", `/api/v1/insights/${id(insightId)}`),
  };

  /** Anomalies the cron tick found against each queue's baseline. */
  readonly anomalies = {
    listPage: (query: AnomalyListQuery = {}): Promise<AnomalyPage> => this.#http.request("GET", "/api/v1/anomalies", { query: query as QueryValues }),
    list: (query: AnomalyListQuery = {}): AsyncGenerator<AnomalyPage> => pages((cursor) => this.anomalies.listPage({ ...query, cursor }), query.cursor),
  };

  /** Recurring jobs. */
  readonly schedules = {
    create: (input: ScheduleInput): Promise<Schedule> => this.#http.request("POST", "/api/v1/schedules", { body: input }),
    list: async (): Promise<Schedule[]> => (await this.#http.request<{ schedules: Schedule[] }>("GET", "/api/v1/schedules")).schedules,
    get: (scheduleId: string): Promise<Schedule> => this.#http.request("GET", `/api/v1/schedules/${id(scheduleId)}`),
    update: (scheduleId: string, patch: ScheduleUpdate): Promise<Schedule> => this.#http.request("PUT", `/api/v1/schedules/${id(scheduleId)}`, { body: patch }),
    delete: (scheduleId: string): Promise<Deleted> => this.#http.request("DELETE", `/api/v1/schedules/${id(scheduleId)}`),
    /** The next `count` fire times (default 5). */
    next: (scheduleId: string, count?: number): Promise<SchedulePreview> =>
      this.#http.request("GET", `/api/v1/schedules/${id(scheduleId)}/next`, { query: { count } }),
    trigger: (scheduleId: string): Promise<ScheduleTriggered> => this.#http.request("POST", `/api/v1/schedules/${id(scheduleId)}/trigger`),
    pause: (scheduleId: string): Promise<Schedule> => this.#http.request("POST", `/api/v1/schedules/${id(scheduleId)}/pause`),
    resume: (scheduleId: string): Promise<Schedule> => this.#http.request("POST", `/api/v1/schedules/${id(scheduleId)}/resume`),
  };

  /** Tenants: quotas and usage (making and changing them takes a platform key). */
  readonly tenants = {
    create: (input: TenantInput): Promise<Tenant> => this.#http.request("POST", "/api/v1/tenants", { body: input }),
    list: async (): Promise<Tenant[]> => (await this.#http.request<{ tenants: Tenant[] }>("GET", "/api/v1/tenants")).tenants,
    get: (tenantId: string): Promise<Tenant> => this.#http.request("GET", `/api/v1/tenants/${id(tenantId)}`),
    /** Renames it or replaces its quotas. */
    update: (tenantId: string, change: TenantUpdate): Promise<Tenant> => this.#http.request("PATCH", `/api/v1/tenants/${id(tenantId)}`, { body: change }),
  };

  /** API keys (admin keys only; a tenant's key makes keys of its own tenant). */
  readonly keys = {
    /** Makes a key; the key itself is in this answer only. */
    create: (input: ApiKeyInput): Promise<CreatedApiKey> => this.#http.request("POST", "/api/v1/keys", { body: input }),
    list: async (): Promise<ApiKey[]> => (await this.#http.request<{ keys: ApiKey[] }>("GET", "/api/v1/keys")).keys,
    revoke: (keyId: string): Promise<ApiKey> => this.#http.request("DELETE", `/api/v1/keys/${id(keyId)}`),
  };

  /** Webhook subscriptions and their delivery logs. */
  readonly webhooks = {
    /** Subscribes a URL; the signing secret is in this answer only. */
    create: (input: WebhookInput): Promise<CreatedWebhook> => this.#http.request("POST", "/api/v1/webhooks", { body: input }),
    list: async (): Promise<Webhook[]> => (await this.#http.request<{ webhooks: Webhook[] }>("GET", "/api/v1/webhooks")).webhooks,
    get: (webhookId: string): Promise<Webhook> => this.#http.request("GET", `/api/v1/webhooks/${id(webhookId)}`),
    update: (webhookId: string, patch: WebhookUpdate): Promise<Webhook> => this.#http.request("PUT", `/api/v1/webhooks/${id(webhookId)}`, { body: patch }),
    delete: (webhookId: string): Promise<Webhook> => this.#http.request("DELETE", `/api/v1/webhooks/${id(webhookId)}`),
    deliveries: async (webhookId: string, query: DeliveryListQuery = {}): Promise<WebhookDelivery[]> =>
      (await this.#http.request<{ deliveries: WebhookDelivery[] }>("GET", `/api/v1/webhooks/${id(webhookId)}/deliveries`, { query: query as QueryValues })).deliveries,
    redeliver: (webhookId: string, deliveryId: string): Promise<WebhookDelivery> =>
      this.#http.request("POST", `/api/v1/webhooks/${id(webhookId)}/deliveries/${id(deliveryId)}/redeliver`),
  };

  /** HTTPS endpoints bound to job types (`set("resize", {url})`) or queues (`setForQueue`). */
  readonly endpoints = {
    list: async (): Promise<Endpoint[]> => (await this.#http.request<{ endpoints: Endpoint[] }>("GET", "/api/v1/endpoints")).endpoints,
    get: (type: string): Promise<Endpoint> => this.#http.request("GET", `/api/v1/endpoints/${id(type)}`),
    set: (type: string, input: EndpointInput): Promise<Endpoint> => this.#http.request("PUT", `/api/v1/endpoints/${id(type)}`, { body: input }),
    delete: (type: string): Promise<Endpoint> => this.#http.request("DELETE", `/api/v1/endpoints/${id(type)}`),
    setForQueue: (queue: string, input: EndpointInput): Promise<Endpoint> => this.#http.request("PUT", `/api/v1/queues/${id(queue)}/endpoint`, { body: input }),
    deleteForQueue: (queue: string): Promise<Endpoint> => this.#http.request("DELETE", `/api/v1/queues/${id(queue)}/endpoint`),
  };

  /** Pull workers: the registry, and the lease protocol `edgeq/worker` speaks. */
  readonly workers = {
    list: async (): Promise<WorkerInfo[]> => (await this.#http.request<{ workers: WorkerInfo[] }>("GET", "/api/v1/workers")).workers,
    /** A worker's heartbeat: who it is, what it serves and runs. */
    announce: (workerId: string, info: WorkerAnnouncement): Promise<WorkerInfo> => this.#http.request("PUT", `/api/v1/workers/${id(workerId)}`, { body: info }),
    leave: (workerId: string): Promise<WorkerInfo> => this.#http.request("DELETE", `/api/v1/workers/${id(workerId)}`),
    lease: async (queue: string, input: LeaseInput): Promise<LeasedJob[]> =>
      (await this.#http.request<{ jobs: LeasedJob[] }>("POST", `/api/v1/queues/${id(queue)}/lease`, { body: input })).jobs,
    heartbeat: (jobId: string, input: HeartbeatInput): Promise<LeaseExtended> => this.#http.request("POST", `/api/v1/jobs/${id(jobId)}/heartbeat`, { body: input }),
    complete: (jobId: string, leaseId: string, result?: unknown): Promise<Job> =>
      this.#http.request("POST", `/api/v1/jobs/${id(jobId)}/complete`, { body: { leaseId, result } }),
    fail: (jobId: string, input: FailInput): Promise<Job> => this.#http.request("POST", `/api/v1/jobs/${id(jobId)}/fail`, { body: input }),
    release: (jobId: string, leaseId: string): Promise<Job> => this.#http.request("POST", `/api/v1/jobs/${id(jobId)}/release`, { body: { leaseId } }),
  };

  /** The analytics reads: `edgeq.analytics("throughput", { step: "1h" })`. */
  analytics<N extends AnalyticsName>(name: N, query?: AnalyticsQuery<N>): Promise<AnalyticsResult<N>> {
    return this.#http.request("GET", `/api/v1/analytics/${ANALYTICS_PATHS[name]}`, { query: query as QueryValues });
  }

  /** Whether Postgres and the scheduler answer; a 503 is returned as `status: "unavailable"`, not thrown. */
  health(): Promise<Health> {
    return this.#http.request("GET", "/health", { auth: false, accept: [503] });
  }

  /** Live events as they happen, until `signal` aborts or the connection closes. */
  async *tail(options: TailOptions = {}): AsyncGenerator<LiveEvent> {
    const query = queryString({ queue: options.queue, type: options.type, access_token: this.#key });
    const socket = new WebSocket(`${this.#url.replace(/^http/, "ws")}/api/v1/events${query}`);
    const buffered: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    let ended: Error | null | undefined;
    const notify = () => {
      wake?.();
      wake = null;
    };
    socket.addEventListener("open", () => options.onOpen?.());
    socket.addEventListener("message", (message) => {
      const data = JSON.parse(String(message.data)) as { type?: string; events?: LiveEvent[] };
      if (data.type === "events" && data.events) buffered.push(...data.events);
      notify();
    });
    socket.addEventListener("error", () => {
      ended ??= new Error("the live events connection failed");
      notify();
    });
    socket.addEventListener("close", () => {
      ended ??= null;
      notify();
    });
    const abort = () => socket.close();
    options.signal?.addEventListener("abort", abort);
    try {
      for (;;) {
        while (buffered.length > 0) yield buffered.shift()!;
        if (ended !== undefined || options.signal?.aborted) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (ended && !options.signal?.aborted) throw ended;
    } finally {
      options.signal?.removeEventListener("abort", abort);
      socket.close();
    }
  }
}
