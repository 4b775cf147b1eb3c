import { app } from "./api/app";
import { handleJobBatch } from "./consumer/queue-handler";
import { runScheduledDuties } from "./cron/scheduled";
import type { Env } from "./env";

export { ConcurrencySlots } from "./flow/concurrency-slots";
export { LiveHub } from "./live/live-hub";
export { RateLimiter } from "./ratelimit/rate-limiter-do";
export { QueueScheduler } from "./scheduler/queue-scheduler";

export default {
  fetch: app.fetch,
  queue: handleJobBatch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduledDuties(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env, unknown>;
