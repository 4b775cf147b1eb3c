import { readFileSync } from "node:fs";

/** The running edgeq a script talks to: EDGEQ_URL, default the dev stack's address. */
export const stackUrl = process.env.EDGEQ_URL ?? "http://127.0.0.1:8787";

/** EDGEQ_API_KEY, or the admin key `npm run dev` keeps in .edgeq/admin-key. */
export function stackKey(): string {
  if (process.env.EDGEQ_API_KEY) return process.env.EDGEQ_API_KEY;
  try {
    return readFileSync(new URL("../../.edgeq/admin-key", import.meta.url), "utf8").trim();
  } catch {
    throw new Error("no API key: set EDGEQ_API_KEY, or start the stack with `npm run dev` (it keeps one in .edgeq/admin-key)");
  }
}
