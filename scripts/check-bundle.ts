/**
 * The dashboard's production bundle budget, checked after every build (so in CI too): the gzipped
 * JavaScript and CSS the first page load fetches must stay under BUDGET_KB.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const dir = fileURLToPath(new URL("../dist/public/", import.meta.url));
const html = readFileSync(`${dir}index.html`, "utf8");
// What index.html loads up front; lazily loaded chunks are not part of the first load.
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
const sizes = initial.map((file) => ({ file, kb: gzipSync(readFileSync(dir + file)).length / 1024 }));
const total = sizes.reduce((sum, s) => sum + s.kb, 0);
const all = readdirSync(`${dir}assets`).length;
for (const s of sizes) console.log(`  ${s.file}  ${s.kb.toFixed(1)} KB gzip`);
console.log(`dashboard first load: ${total.toFixed(1)} KB gzip of ${BUDGET_KB} KB budget (${all} files built)`);
if (total > BUDGET_KB) {
  console.error(`the dashboard's first load is over its ${BUDGET_KB} KB budget`);
  process.exit(1);
}
