import { readFileSync } from "node:fs";

/** The running edgeq to measure: EDGEQ_URL, and EDGEQ_API_KEY or the key `npm run dev` keeps. */
export const base = process.env.EDGEQ_URL ?? "http://127.0.0.1:8787";

function apiKey(): string {
  if (process.env.EDGEQ_API_KEY) return process.env.EDGEQ_API_KEY;
  try {
    return readFileSync(new URL("../../.edgeq/admin-key", import.meta.url), "utf8").trim();
  } catch {
    throw new Error("no API key: set EDGEQ_API_KEY, or start the stack with `npm run dev` (it keeps one in .edgeq/admin-key)");
  }
}

const authorization = `Bearer ${apiKey()}`;

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
