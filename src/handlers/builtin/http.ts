import { z } from "zod";
import { retryAfterMs } from "../../core/retry-after";
import { httpStatusError, JobError } from "../job-error";
import type { JobHandler } from "../types";

const httpPayload = z.object({
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
});

/**
 * Makes one HTTP request. 2xx is the result; 408, 429 and 5xx retry (honouring Retry-After);
 * any other status fails for good, since repeating the same request cannot change it.
 */
export const http: JobHandler = async ({ payload, signal }) => {
  const parsed = httpPayload.safeParse(payload);
  if (!parsed.success) throw new JobError(`http has a bad payload: ${parsed.error.issues[0]?.message}`, { retryable: false, code: "bad_payload" });
  const { url, method, headers, body } = parsed.data;
  const hasBody = body !== undefined && method !== "GET" && method !== "HEAD";
  const response = await fetch(url, {
    method,
    headers: hasBody && typeof body !== "string" ? { "content-type": "application/json", ...headers } : headers,
    body: hasBody ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
    signal,
  });
  const text = await response.text();
  if (!response.ok) throw httpStatusError(`${method} ${url}`, response.status, text, retryAfterMs(response.headers.get("retry-after"), Date.now()));
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  let parsedBody: unknown = text;
  if (isJson) {
    try {
      parsedBody = JSON.parse(text);
    } catch {
      parsedBody = text;
    }
  }
  return { status: response.status, body: parsedBody };
};
