/**
 * API key format: `eq_<prefix>_<secret>`. The prefix is shown in listings and finds the stored row;
 * the secret carries 192 random bits, so a fast hash (SHA-256) is as good as a slow one here.
 */
const PREFIX_BYTES = 6;
const SECRET_BYTES = 24;
const KEY_PATTERN = /^eq_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = hex(crypto.getRandomValues(new Uint8Array(PREFIX_BYTES)));
  return { key: `eq_${prefix}_${base64url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`, prefix };
}

/** The prefix of a well-formed key, or null. */
export function keyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

export async function hashApiKey(key: string): Promise<string> {
  return hex(await sha256(key));
}
