import { z } from "zod";

/**
 * The `simulate` job type's plan for one attempt: how long it takes (log-normal, from the p50 and
 * p99 asked for, as real run times are) and whether it fails, with an error worded the way real
 * services word theirs, so insights, retries and the dashboard see what production would show.
 */

/** Errors by the failure category the analyzer should find in them; `retryable: false` dead-letters at once. */
export const SIMULATED_ERRORS = {
  timeout: [{ name: "TimeoutError", message: "The operation was aborted due to timeout" }],
  network: [
    { name: "Error", message: "connect ECONNREFUSED 10.0.3.17:5432" },
    { name: "TypeError", message: "fetch failed: getaddrinfo EAI_AGAIN api.partner.example" },
  ],
  rate_limited: [{ name: "Error", message: "429 Too Many Requests: rate limit exceeded, retry after 2 seconds", code: "http_429", retryAfterMs: 2000 }],
  upstream_5xx: [
    { name: "Error", message: "POST https://api.partner.example/v2/orders answered 503: Service Unavailable", code: "http_503" },
    { name: "Error", message: "502 Bad Gateway from upstream billing service" },
  ],
  auth: [{ name: "AuthenticationError", message: "Invalid API Key provided: sk_live_****a9f2", retryable: false }],
  bad_input: [{ name: "ValidationError", message: "payload.email must be a valid email address", retryable: false }],
  not_found: [{ name: "Error", message: "GET https://api.partner.example/v2/customers/cus_81 answered 404: Not Found", code: "http_404", retryable: false }],
  resource_exhausted: [{ name: "Error", message: "sorry, too many clients already (SQLSTATE 53300)", code: "53300" }],
  handler_bug: [{ name: "TypeError", message: "Cannot read properties of undefined (reading 'lineItems')", retryable: false }],
} as const;
export type SimulatedErrorKind = keyof typeof SIMULATED_ERRORS;
const KINDS = Object.keys(SIMULATED_ERRORS) as [SimulatedErrorKind, ...SimulatedErrorKind[]];

const customErrorSchema = z.strictObject({
  name: z.string().min(1).max(100).default("Error"),
  message: z.string().min(1).max(2000),
  code: z.string().max(100).optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.number().int().min(0).max(86_400_000).optional(),
});
export type SimulatedError = z.infer<typeof customErrorSchema>;

/** The longest a simulated attempt may be asked to take. */
const MAX_LATENCY_MS = 15 * 60_000;

export const simulatePayloadSchema = z.strictObject({
  /** Share of attempts that fail, 0–1. */
  failureRate: z.number().min(0).max(1).default(0),
  /** What failures look like: categories from SIMULATED_ERRORS or errors of your own, drawn evenly. */
  errors: z.array(z.union([z.enum(KINDS), customErrorSchema])).min(1).max(50).default(["timeout", "network", "rate_limited", "upstream_5xx"]),
  latencyMs: z
    .strictObject({ p50: z.number().min(0).max(MAX_LATENCY_MS), p99: z.number().min(0).max(MAX_LATENCY_MS) })
    .refine((l) => l.p99 >= l.p50, "latencyMs.p99 must be at least p50")
    .default({ p50: 50, p99: 500 }),
});
export type SimulatePayload = z.infer<typeof simulatePayloadSchema>;

/** z of the 99th percentile of the standard normal. */
const Z99 = 2.3263;

/**
 * A log-normal draw with the given median and 99th percentile, from two uniform numbers (Box–Muller),
 * capped at three times the p99 so one draw cannot hold a job for ever.
 */
export function sampleLatency(p50: number, p99: number, u1: number, u2: number): number {
  if (p50 <= 0) return 0;
  const sigma = Math.log(Math.max(p99, p50) / p50) / Z99;
  const z = Math.sqrt(-2 * Math.log(Math.max(u1, Number.MIN_VALUE))) * Math.cos(2 * Math.PI * u2);
  return Math.min(p50 * Math.exp(sigma * z), 3 * Math.max(p99, p50));
}

export interface AttemptPlan {
  latencyMs: number;
  error: SimulatedError | null;
}

/** Draws one attempt's run time and fate. */
export function planAttempt(payload: SimulatePayload, random: () => number): AttemptPlan {
  const latencyMs = Math.round(sampleLatency(payload.latencyMs.p50, payload.latencyMs.p99, random(), random()));
  if (random() >= payload.failureRate) return { latencyMs, error: null };
  const choice = payload.errors[Math.floor(random() * payload.errors.length)]!;
  if (typeof choice !== "string") return { latencyMs, error: choice };
  const variants: readonly SimulatedError[] = SIMULATED_ERRORS[choice];
  return { latencyMs, error: variants[Math.floor(random() * variants.length)]! };
}
