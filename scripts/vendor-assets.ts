/**
 * Copies the browser files edgeq serves from npm packages into dist/public/vendor (Workers static
 * assets), so /docs works offline. Runs before dev, test and deploy; the copies are not committed.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const vendor = fileURLToPath(new URL("../dist/public/vendor/", import.meta.url));

const FILES: Record<string, string> = {
  "scalar-api-reference.js": require.resolve("@scalar/api-reference/browser/standalone.js"),
};

mkdirSync(vendor, { recursive: true });
for (const [name, source] of Object.entries(FILES)) copyFileSync(source, `${vendor}${name}`);
