import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * A secret `npm run dev` needs: the environment variable when set, else one made on first run and
 * kept in `file` (mode 600), so it stays the same across restarts.
 */
function localSecret(envValue: string | undefined, file: string, make: () => string): string {
  if (envValue) return envValue;
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    const secret = make();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

/** The bootstrap admin key (EDGEQ_ADMIN_KEY), so curl commands keep working across restarts. */
export function localAdminKey(file: string): string {
  return localSecret(process.env.EDGEQ_ADMIN_KEY, file, () => `eq_local_${randomBytes(24).toString("base64url")}`);
}

/** The secret that signs endpoint requests and callbacks (EDGEQ_SIGNING_SECRET), in Standard Webhooks' form. */
export function localSigningSecret(file: string): string {
  return localSecret(process.env.EDGEQ_SIGNING_SECRET, file, () => `whsec_${randomBytes(24).toString("base64")}`);
}
