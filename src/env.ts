import type { QueueScheduler } from "./scheduler/queue-scheduler";
import type { JobMessage } from "./consumer/job-message";

declare global {
  namespace Cloudflare {
    /** Bindings and variables of the edgeq Worker (see wrangler.toml); `env` everywhere has this type. */
    interface Env {
      /** Postgres connection string (Neon in production, the embedded database locally). */
      DATABASE_URL: string;
      /** host:port/path of a WebSocket-to-TCP bridge, set only for a local Postgres. */
      PG_WS_PROXY?: string;
      QUEUE_SCHEDULER: DurableObjectNamespace<QueueScheduler>;
      JOBS_QUEUE: Queue<JobMessage>;
    }
  }
}

export type Env = Cloudflare.Env;
