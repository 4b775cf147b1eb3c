import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { app } from "../../src/api/app";

/** wrangler.toml's `[assets] run_worker_first` patterns: exact paths, or prefixes ending in `/*`. */
function workerFirstPatterns(): string[] {
  const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
  const list = /^run_worker_first\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

const matches = (pattern: string, path: string) => (pattern.endsWith("/*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern);

describe("the dashboard's static assets", () => {
  // The dashboard is a single-page app: a browser's navigation to a path no asset has gets its
  // index.html, unless the Worker runs first for that path. No route of the app may be shadowed.
  it("never shadow a route of the app", () => {
    const patterns = workerFirstPatterns();
    const paths = [...new Set(app.routes.map((r) => r.path).filter((p) => !p.includes("*")))].map((p) => p.replaceAll(/:\w+/g, "x"));
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((path) => !patterns.some((pattern) => matches(pattern, path)))).toEqual([]);
  });
});
