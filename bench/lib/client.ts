import { stackKey, stackUrl } from "../../scripts/lib/stack-target";

/** The running edgeq to measure (see scripts/lib/stack-target.ts). */
export const base = stackUrl;
const authorization = `Bearer ${stackKey()}`;

/** One API call; throws with the status and the start of the body on anything but 2xx. */
export async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? { authorization } : { authorization, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}
