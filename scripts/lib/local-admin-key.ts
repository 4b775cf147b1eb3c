import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The bootstrap admin key for `npm run dev`: EDGEQ_ADMIN_KEY when set, else one made on first run and
 * kept in `file` (mode 600), so curl commands keep working across restarts.
 */
export function localAdminKey(file: string): string {
  if (process.env.EDGEQ_ADMIN_KEY) return process.env.EDGEQ_ADMIN_KEY;
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    const key = `eq_local_${randomBytes(24).toString("base64url")}`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    return key;
  }
}
