import type { EndpointRow, JobRow } from "../db/schema";
import { postSigned } from "../webhooks/post-signed";
import { httpStatusError, JobError } from "./job-error";
import type { JobHandler } from "./types";

/** The request's own limit may not outlive the attempt: the attempt's timeout is the smaller one. */
export function endpointTimeoutMs(endpoint: Pick<EndpointRow, "timeoutMs">, job: Pick<JobRow, "timeoutMs">): number {
  return Math.min(endpoint.timeoutMs ?? job.timeoutMs, job.timeoutMs);
}

function parseResult(body: string): unknown {
  if (body === "") return null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * Runs jobs by POSTing them to an HTTPS endpoint, signed as Standard Webhooks says with the
 * deployment's signing secret: 2xx completes the job with the answer's body as its result (JSON
 * when it parses); 408, 429 and 5xx retry (Retry-After is a floor under the backoff); an unreachable
 * endpoint retries; any other status fails for good. The attempt's timeout aborts the request.
 */
export function endpointHandler(endpoint: Pick<EndpointRow, "url" | "headers">, secret: string | undefined): JobHandler {
  return async ({ payload, job, signal }) => {
    if (!secret) throw new JobError("endpoint handlers need EDGEQ_SIGNING_SECRET to sign their requests", { retryable: false, code: "signing_secret_missing" });
    const body = JSON.stringify({ id: job.id, queue: job.queue, type: job.type, attempt: job.attempt, maxAttempts: job.maxAttempts, tags: job.tags, createdAt: job.createdAt, payload });
    // The attempt's own timer ends the request; this limit only backs it up.
    const sent = await postSigned({ url: endpoint.url, secret, messageId: `${job.id}-${job.attempt}`, body, headers: endpoint.headers, timeoutMs: 15 * 60_000, signal });
    if (sent.ok) return parseResult(sent.body);
    if (sent.status === null) throw new JobError(`${endpoint.url} could not be reached: ${sent.error}`, { retryable: true, code: "endpoint_unreachable" });
    throw httpStatusError(`endpoint ${endpoint.url}`, sent.status, sent.body, sent.retryAfterMs);
  };
}
