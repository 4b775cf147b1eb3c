import { app } from "./api/app";
import { handleJobBatch } from "./consumer/queue-handler";
import { runScheduledDuties } from "./cron/scheduled";
import type { Env } from "./env";
import { handleDeliveryBatch } from "./webhooks/deliver-batch";
import { WEBHOOKS_QUEUE_NAME } from "./webhooks/delivery-message";

export { ConcurrencySlots } from "./flow/concurrency-slots";
export { LiveHub } from "./live/live-hub";
export { RateLimiter } from "./ratelimit/rate-limiter-do";
export { QueueScheduler } from "./scheduler/queue-scheduler";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => (batch.queue === WEBHOOKS_QUEUE_NAME ? handleDeliveryBatch(batch, env, ctx) : handleJobBatch(batch, env, ctx)),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduledDuties(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env, unknown>;
