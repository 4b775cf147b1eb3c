import { retryAfterMs } from "../core/retry-after";
import { signatureHeaders } from "./sign";

/** What one signed POST came to: a status and body, or a network error or timeout (status null). */
export interface PostResult {
  status: number | null;
  ok: boolean;
  body: string;
  /** The receiver's Retry-After, in ms, when it sent one. */
  retryAfterMs: number | null;
  error: string | null;
  timedOut: boolean;
  durationMs: number;
}

const MAX_BODY = 1024 * 1024;

/**
 * POSTs a JSON body signed as Standard Webhooks says, within `timeoutMs` (and `signal`, if given).
 * Never throws: a refused connection or a timeout comes back as a result with `status: null`.
 * Only `headers` and the signature go out: nothing of the caller's API key.
 */
export async function postSigned(target: {
  url: string;
  secret: string;
  messageId: string;
  body: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<PostResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = target.signal ? AbortSignal.any([timeout, target.signal]) : timeout;
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        ...target.headers,
        "content-type": "application/json",
        "user-agent": "edgeq-webhooks/1",
        ...signatureHeaders(target.secret, target.messageId, new Date(), target.body),
      },
      body: target.body,
      signal,
      redirect: "manual",
    });
    const text = (await response.text()).slice(0, MAX_BODY);
    return {
      status: response.status,
      ok: response.ok,
      body: text,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after"), Date.now()),
      error: response.ok ? null : `answered ${response.status}: ${text.slice(0, 300)}`,
      timedOut: false,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    const timedOut = timeout.aborted;
    const message = timedOut ? `no answer within ${target.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { status: null, ok: false, body: "", retryAfterMs: null, error: message, timedOut, durationMs: performance.now() - started };
  }
}
