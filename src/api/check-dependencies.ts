import { and, eq, sql } from "drizzle-orm";
import type { TenantId } from "../core/tenancy";
import { dependencyProblems } from "../core/dependencies";
import type { Db } from "../db/client";
import { jobs } from "../db/schema";
import { ApiError } from "./errors";
import type { JobInput } from "./schemas/job-input";

/**
 * Refuses, before anything is written, jobs whose dependencies cannot be met: a job that names
 * itself, two jobs of the request with one id (which would a dependency mean?), a cycle among
 * them, or an id that is neither in the request nor stored (among the `viewer` tenant's jobs: a
 * tenant cannot wait on, and so watch, another's). `pathOf` names a job in the error's details (`jobs.3` in a batch).
 */
export async function checkDependencies(db: Db, input: JobInput[], pathOf: (index: number) => string, viewer: TenantId): Promise<void> {
  if (!input.some((j) => j.dependsOn?.length || j.id)) return;
  const at = (index: number, field: string) => [pathOf(index), field].filter(Boolean).join(".");
  const nodes = input.map((j, i) => ({ id: j.id ?? `#${i}`, dependsOn: j.dependsOn ?? [] }));
  const problems = dependencyProblems(nodes).map((p) => {
    if (p.kind === "self") return { path: at(p.index, "dependsOn"), message: `job ${p.id} cannot depend on itself`, code: "self_dependency" };
    if (p.kind === "duplicate_id") return { path: at(p.index, "id"), message: `id ${p.id} is given to two jobs`, code: "duplicate_id" };
    return { path: pathOf(0) ? "jobs" : "dependsOn", message: `dependencies form a cycle: ${p.ids.join(" → ")}`, code: "dependency_cycle" };
  });
  if (problems.length === 0) {
    const own = new Set(nodes.map((n) => n.id));
    const named = [...new Set(nodes.flatMap((n) => n.dependsOn))].filter((id) => !own.has(id));
    // One array parameter: a batch may name more ids than a statement takes parameters.
    const found = named.length === 0 ? [] : await db.select({ id: jobs.id }).from(jobs).where(and(sql`${jobs.id} = any(${`{${named.join(",")}}`}::uuid[])`, viewer === null ? undefined : eq(jobs.tenantId, viewer)));
    const stored = new Set(found.map((r) => r.id));
    input.forEach((j, i) => {
      for (const id of j.dependsOn ?? []) {
        if (!own.has(id) && !stored.has(id)) problems.push({ path: at(i, "dependsOn"), message: `no job with id ${id} to depend on`, code: "unknown_dependency" });
      }
    });
  }
  const first = problems[0];
  if (first) throw new ApiError(400, "validation_failed", `invalid request body: ${first.path}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`, problems);
}
