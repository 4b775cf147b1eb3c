import { env, exports } from "cloudflare:workers";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls the Worker's fetch handler, as a client over HTTP would, with the bootstrap admin key unless
 * `headers` carries its own `authorization` (an empty one sends none).
 */
export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const { authorization = `Bearer ${env.EDGEQ_ADMIN_KEY}`, ...rest } = headers;
  const init: RequestInit = { method, headers: authorization ? { ...rest, authorization } : rest };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const response = await exports.default.fetch(new Request(`http://edgeq.test${path}`, init));
  const text = await response.text();
  // JSON and +json bodies are parsed; NDJSON and the rest stay text.
  const json = /[/+]json\b/.test(response.headers.get("content-type") ?? "");
  return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : null, headers: response.headers };
}

/** A queue name no other test uses, so tests share a database without seeing each other. */
export function uniqueQueue(prefix = "q"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
