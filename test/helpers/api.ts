import { exports } from "cloudflare:workers";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker's fetch handler, as a client over HTTP would. */
export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const response = await exports.default.fetch(new Request(`http://edgeq.test${path}`, init));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** A queue name no other test uses, so tests share a database without seeing each other. */
export function uniqueQueue(prefix = "q"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
