import { EdgeqError } from "./errors";
import type { ErrorBody } from "./types";

/** How a client reaches the API. */
export interface TransportOptions {
  /** The API's origin, e.g. `https://edgeq.example.workers.dev` or `http://127.0.0.1:8787`. */
  url: string;
  /** An API key (`Authorization: Bearer <key>`). */
  key: string;
  /** Retries of a request answered 429 or 503 (default 3). */
  maxRetries?: number;
  /** The longest wait between two tries, whatever `Retry-After` says (default 30 s). */
  maxRetryDelayMs?: number;
  /** A fetch to use instead of the global one (tests, a service binding's `fetch`). */
  fetch?: typeof fetch;
}

/** Statuses that mean "not now": the request was not carried out and may be sent again. */
const RETRY_STATUSES = new Set([429, 503]);
const BASE_RETRY_MS = 500;

/**
 * How long to wait before try `retry` (0-based): what `Retry-After` asks (seconds or an HTTP date),
 * else exponential from half a second; never more than `maxMs`.
 */
export function retryDelayMs(retryAfter: string | null, retry: number, maxMs: number, now = Date.now()): number {
  let ms = BASE_RETRY_MS * 2 ** retry;
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const at = Date.parse(retryAfter);
    if (retryAfter.trim() !== "" && Number.isFinite(seconds)) ms = seconds * 1000;
    else if (!Number.isNaN(at)) ms = at - now;
  }
  return Math.min(Math.max(0, ms), maxMs);
}

export type QueryValues = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** `{a: 1, b: ["x","y"]}` as `?a=1&b=x,y`, dropping empty values. */
export function queryString(query: QueryValues | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    params.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends JSON requests with the key, retries 429/503, and turns error answers into {@link EdgeqError}. */
export class Transport {
  readonly #origin: string;
  readonly #key: string;
  readonly #maxRetries: number;
  readonly #maxRetryDelayMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: TransportOptions) {
    this.#origin = options.url.replace(/\/+$/, "");
    this.#key = options.key;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    // Bound, so a global fetch is not called with the transport as `this` (browsers refuse that).
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(method: string, path: string, options: { body?: unknown; query?: QueryValues; auth?: boolean; accept?: readonly number[] } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.auth !== false) headers.authorization = `Bearer ${this.#key}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const url = `${this.#origin}${path}${queryString(options.query)}`;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    for (let retry = 0; ; retry++) {
      let response: Response;
      try {
        response = await this.#fetch(url, { method, headers, body });
      } catch (error) {
        throw new EdgeqError(0, "network_error", `could not reach ${this.#origin}: ${(error as Error).message}`, { cause: String(error) });
      }
      const accepted = options.accept?.includes(response.status) ?? false;
      if (!accepted && RETRY_STATUSES.has(response.status) && retry < this.#maxRetries) {
        await response.body?.cancel();
        await sleep(retryDelayMs(response.headers.get("retry-after"), retry, this.#maxRetryDelayMs));
        continue;
      }
      return this.#read<T>(response, accepted);
    }
  }

  /** The answer's JSON; an error answer (unless `accepted`) as an {@link EdgeqError}. */
  async #read<T>(response: Response, accepted: boolean): Promise<T> {
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.ok || accepted) return json as T;
    const requestId = response.headers.get("x-request-id");
    const error = (json as Partial<ErrorBody> | null)?.error;
    if (error?.code) throw new EdgeqError(response.status, error.code, error.message, error.details, requestId);
    throw new EdgeqError(response.status, "internal", `HTTP ${response.status}: ${text.slice(0, 200)}`, json, requestId);
  }
}
