import { EdgeqError } from "../client/errors";
import type { EdgeqClient } from "../client/client";
import type { LeasedJob, WorkerHandler } from "./types";

/** Why a job's signal was aborted; each ends the attempt differently. */
export type StopReason = "timeout" | "lease_lost" | "released";

export class JobStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(reason === "timeout" ? "the job timed out" : reason === "lease_lost" ? "the lease was lost" : "the worker is shutting down");
    this.name = reason === "timeout" ? "TimeoutError" : "JobStopped";
  }
}

/** One leased job in flight: its handler, its heartbeats, and how it can be stopped. */
export class RunningJob {
  readonly #controller = new AbortController();
  #progress: unknown;
  readonly done: Promise<"completed" | "failed" | "released" | "lost">;

  constructor(
    readonly job: LeasedJob,
    private readonly client: EdgeqClient,
    handler: WorkerHandler | undefined,
    private readonly visibilityMs: number,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {
    this.done = this.#run(handler);
  }

  /** Stops the handler and hands the job back to the queue unrun (shutdown past its grace period). */
  release(): void {
    this.#controller.abort(new JobStopped("released"));
  }

  async #heartbeat(): Promise<void> {
    try {
      await this.client.workers.heartbeat(this.job.id, { leaseId: this.job.leaseId, visibilityMs: this.visibilityMs, progress: this.#progress });
    } catch (error) {
      // 409: another worker holds the job now; anything else is retried at the next beat.
      if (error instanceof EdgeqError && error.status === 409) this.#controller.abort(new JobStopped("lease_lost"));
      else this.log("heartbeat failed", { jobId: this.job.id, error: String(error) });
    }
  }

  async #run(handler: WorkerHandler | undefined): Promise<"completed" | "failed" | "released" | "lost"> {
    const { job, client } = this;
    const signal = this.#controller.signal;
    const timer = setTimeout(() => this.#controller.abort(new JobStopped("timeout")), job.timeoutMs);
    const beat = setInterval(() => void this.#heartbeat(), Math.max(250, Math.floor(this.visibilityMs / 3)));
    const stopped = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
    stopped.catch(() => undefined);
    try {
      if (!handler) throw Object.assign(new Error(`no handler for job type "${job.type}"`), { code: "unknown_job_type", retryable: false });
      const context = {
        signal,
        progress: async (value: unknown) => {
          this.#progress = value;
          await this.#heartbeat();
        },
      };
      const result = await Promise.race([Promise.resolve().then(() => handler(job, context)), stopped]);
      try {
        await client.workers.complete(job.id, job.leaseId, result === undefined ? null : result);
        return "completed";
      } catch (error) {
        this.log("reporting a completion failed", { jobId: job.id, error: String(error) });
        return error instanceof EdgeqError && error.status === 409 ? "lost" : "failed";
      }
    } catch (thrown) {
      const reason = signal.reason instanceof JobStopped ? signal.reason.reason : null;
      if (reason === "lease_lost") return "lost";
      if (reason === "released") {
        await client.workers.release(job.id, job.leaseId).catch((error: unknown) => this.log("release failed; the lease will expire", { jobId: job.id, error: String(error) }));
        return "released";
      }
      const error = thrown as { name?: string; message?: string; stack?: string; code?: string; retryable?: boolean; retryAfterMs?: number };
      await client.workers
        .fail(job.id, {
          leaseId: job.leaseId,
          error: { name: String(error?.name ?? "Error").slice(0, 200), message: String(error?.message ?? thrown).slice(0, 2000), code: error?.code, stack: error?.stack?.slice(0, 4000) },
          retryable: error?.retryable !== false,
          retryAfterMs: error?.retryAfterMs,
          timedOut: reason === "timeout",
        })
        .catch((failure: unknown) => this.log("reporting a failure failed; the lease will expire", { jobId: job.id, error: String(failure) }));
      return "failed";
    } finally {
      clearTimeout(timer);
      clearInterval(beat);
    }
  }
}
