import { backoffDelay, type Backoff } from "../../src/core/backoff";
import { prng } from "../lib/prng";

/**
 * A failure class of the simulated workload. `transient` classes fail each attempt with probability
 * `pFail`; `permanent` ones fail every attempt; `rateLimit` ones fail until `resetMs` after arrival.
 */
export interface FailureClassSpec {
  share: number;
  kind: "transient" | "permanent" | "rateLimit";
  pFail?: number;
  resetMs?: number;
  name: string;
  message: (r: () => number) => string;
  /** The handler marks it not retryable (an HTTP 4xx from the http handler). */
  retryable?: boolean;
  /** A transient class that fails more under a deep backlog (timeouts) or with a big payload (memory). */
  sensitivity?: "backlog" | "payload";
}

export interface JobTypeSpec {
  type: string;
  share: number;
  /** Mean handler duration, ms, and the payload size that drives it. */
  baseMs: number;
  classes: FailureClassSpec[];
}

const id = (r: () => number) => Math.floor(r() * 1e9).toString(36);
const ip = (r: () => number) => `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;

/** Four job types with known transient and permanent failure classes, in realistic wording. */
export const WORKLOAD: JobTypeSpec[] = [
  {
    type: "send-email",
    share: 0.25,
    baseMs: 300,
    classes: [
      { share: 0.2, kind: "transient", pFail: 0.5, name: "Error", message: (r) => `connect ECONNREFUSED ${ip(r)}:587` },
      { share: 0.05, kind: "permanent", name: "Error", message: (r) => `550 5.1.1 <user${id(r)}@example.org>: Recipient address rejected: User unknown in virtual mailbox table` },
      { share: 0.05, kind: "rateLimit", resetMs: 30_000, name: "Error", message: () => "421 4.7.0 Try again later: rate limited, retry after 30 seconds" },
    ],
  },
  {
    type: "charge-card",
    share: 0.25,
    baseMs: 600,
    classes: [
      { share: 0.1, kind: "transient", pFail: 0.4, name: "StripeAPIError", message: (r) => `An unknown error occurred (request req_${id(r)}): api_error` },
      { share: 0.15, kind: "permanent", name: "StripeCardError", message: () => "Your card was declined." },
    ],
  },
  {
    type: "fetch-feed",
    share: 0.25,
    baseMs: 900,
    classes: [
      { share: 0.2, kind: "transient", pFail: 0.5, sensitivity: "backlog", name: "TimeoutError", message: () => "The operation was aborted due to timeout" },
      { share: 0.1, kind: "permanent", retryable: false, name: "JobError", message: (r) => `GET https://feeds.example.com/${id(r)}.xml answered 404: not found` },
      { share: 0.05, kind: "transient", pFail: 0.5, name: "JobError", message: (r) => `GET https://feeds.example.com/${id(r)}.xml answered 503: Service Unavailable` },
      { share: 0.05, kind: "permanent", name: "JobError", message: (r) => `GET https://feeds.example.com/${id(r)}.xml answered 503: Service Unavailable` },
    ],
  },
  {
    type: "render-pdf",
    share: 0.25,
    baseMs: 2500,
    classes: [
      { share: 0.1, kind: "permanent", name: "TypeError", message: () => "Cannot read properties of undefined (reading 'lineItems')" },
      { share: 0.05, kind: "transient", pFail: 0.5, sensitivity: "payload", name: "Error", message: () => "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory" },
    ],
  },
];

export interface SimJob {
  type: JobTypeSpec;
  fate: FailureClassSpec | null;
  arrivalMs: number;
  payloadBytes: number;
  /** Jobs waiting in the queue when it arrived. */
  backlog: number;
}

/** Jobs arriving every `spacingMs`, each with its type and fate drawn from the workload. */
export function drawJobs(n: number, r: () => number, spacingMs = 2000): SimJob[] {
  const pick = <T extends { share: number }>(items: T[]): T | null => {
    let x = r();
    for (const item of items) {
      if (x < item.share) return item;
      x -= item.share;
    }
    return null;
  };
  // The backlog swells and drains over the day, with noise.
  const backlogAt = (i: number) => Math.max(0, Math.round(60 + 50 * Math.sin(i / 300) + 20 * (r() - 0.5)));
  return Array.from({ length: n }, (_, i) => ({
    type: pick(WORKLOAD)!,
    fate: null as FailureClassSpec | null,
    arrivalMs: i * spacingMs,
    payloadBytes: Math.round(200 + r() * 20_000),
    backlog: backlogAt(i),
  })).map((job) => ({
    ...job,
    fate: pick(job.type.classes),
  }));
}

export const SIM_BACKOFF: Backoff = { type: "exponential", baseMs: 1000, capMs: 3_600_000, jitter: "full" };
export const SIM_MAX_ATTEMPTS = 5;

/** Whether attempt `n` (1-based) at time `at` of this job fails. */
export function attemptFails(job: SimJob, at: number, r: () => number): boolean {
  const fate = job.fate;
  if (!fate) return false;
  if (fate.kind === "permanent") return true;
  if (fate.kind === "rateLimit") return at < job.arrivalMs + (fate.resetMs ?? 0);
  const load = fate.sensitivity === "backlog" ? job.backlog / 60 : fate.sensitivity === "payload" ? job.payloadBytes / 10_000 : 1;
  return r() < Math.min(0.97, (fate.pFail ?? 0) * load);
}

export { backoffDelay };
