import type { ConcurrencySlots } from "./flow/concurrency-slots";
import type { LiveHub } from "./live/live-hub";
import type { RateLimiter } from "./ratelimit/rate-limiter-do";
import type { QueueScheduler } from "./scheduler/queue-scheduler";
import type { QueueMessage } from "./consumer/job-message";
import type { DeliveryMessage } from "./webhooks/delivery-message";

declare global {
  namespace Cloudflare {
    /** Bindings and variables of the edgeq Worker (see wrangler.toml); `env` everywhere has this type. */
    interface Env {
      /** Postgres connection string (Neon in production, the embedded database locally). */
      DATABASE_URL: string;
      /** host:port/path of a WebSocket-to-TCP bridge, set only for a local Postgres. */
      PG_WS_PROXY?: string;
      /** A bootstrap admin key (a secret); with it the first real keys are made. */
      EDGEQ_ADMIN_KEY?: string;
      /** Days to keep completed and cancelled jobs (default 14); rollups are kept regardless. */
      EDGEQ_RETENTION_DAYS?: string;
      /** Days to keep dead jobs (default 90). */
      EDGEQ_DEAD_RETENTION_DAYS?: string;
      /** Default requests per window per API key, e.g. "6000/1m", or "off". */
      EDGEQ_RATE_LIMIT?: string;
      /** Unit prices for cost estimates, JSON (see src/core/cost.ts), replacing the published rates. */
      EDGEQ_UNIT_PRICES?: string;
      /** Upstash Redis for rate limits (ingress and shared keys); without it a Durable Object serves them. */
      UPSTASH_REDIS_REST_URL?: string;
      UPSTASH_REDIS_REST_TOKEN?: string;
      RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
      CONCURRENCY_SLOTS: DurableObjectNamespace<ConcurrencySlots>;
      QUEUE_SCHEDULER: DurableObjectNamespace<QueueScheduler>;
      JOBS_QUEUE: Queue<QueueMessage>;
      /** Webhook and callback deliveries: their own queue, so a slow receiver never slows jobs. */
      WEBHOOKS_QUEUE: Queue<DeliveryMessage>;
      /** "true" lets webhooks, callbacks and endpoints target private and loopback addresses (development, tests). */
      EDGEQ_ALLOW_PRIVATE_WEBHOOKS?: string;
      /**
       * A Standard Webhooks secret (`whsec_…`) signing what edgeq sends to your own services: endpoint
       * handler requests and job callbacks. Webhook subscriptions have secrets of their own.
       */
      EDGEQ_SIGNING_SECRET?: string;
      LIVE_HUB: DurableObjectNamespace<LiveHub>;
      /**
       * Workers AI, for failure insights. Optional: not bound in wrangler.toml, because \`wrangler dev\`
       * with an [ai] binding demands a login; without it the built-in analyzer answers alone.
       */
      AI?: Ai;
      /** The Workers AI model for insights; defaults to @cf/meta/llama-3.1-8b-instruct. */
      AI_MODEL?: string;
    }
  }
}

export type Env = Cloudflare.Env;
