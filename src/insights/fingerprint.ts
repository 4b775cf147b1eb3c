import { errorFingerprint } from "../core/error-fingerprint";
import { httpStatusOf } from "./analyzer";

/** FNV-1a, 64 bits: stable across isolates and processes, and cheap enough to run per failure. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * A failure's fingerprint: the same error (ids, numbers, addresses and quoted values masked) from
 * the same job type on the same queue. The HTTP status is kept apart from the masked numbers: a 404
 * and a 503 from one endpoint are different failures. Failures that share it share one insight.
 */
export function failureFingerprint(f: { queue: string; type: string; error: { name: string; message: string; code?: string } }): string {
  const status = httpStatusOf(f.error) ?? "";
  return fnv1a64(`${f.queue}\u0000${f.type}\u0000${errorFingerprint(f.error.name, f.error.message)}\u0000${status}`);
}
