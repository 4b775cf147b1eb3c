/** What a waiting job does when one of its dependencies dies or is cancelled. */
export const DEPENDENCY_FAILURE_POLICIES = ["cancel", "run"] as const;
export type DependencyFailurePolicy = (typeof DEPENDENCY_FAILURE_POLICIES)[number];

/** A job of one request as the dependency check sees it: its id and what it waits for. */
export interface DependencyNode {
  id: string;
  dependsOn: readonly string[];
}

export type DependencyProblem =
  | { kind: "self"; index: number; id: string }
  | { kind: "duplicate_id"; index: number; id: string }
  | { kind: "cycle"; ids: string[] };

/**
 * Problems within one request's jobs that no database lookup is needed for: a job that names
 * itself, two jobs with one id, or a cycle among them (jobs already stored cannot depend on new
 * ones, so a cycle can only lie within the request).
 */
export function dependencyProblems(nodes: readonly DependencyNode[]): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  const byId = new Map<string, DependencyNode>();
  nodes.forEach((node, index) => {
    if (byId.has(node.id)) problems.push({ kind: "duplicate_id", index, id: node.id });
    byId.set(node.id, node);
    if (node.dependsOn.includes(node.id)) problems.push({ kind: "self", index, id: node.id });
  });
  if (problems.length > 0) return problems;
  const cycle = findCycle(byId);
  return cycle ? [{ kind: "cycle", ids: cycle }] : [];
}

/** A cycle among the nodes (edges to ids outside them ignored), as the ids along it; null if none. */
function findCycle(byId: ReadonlyMap<string, DependencyNode>): string[] | null {
  const done = new Set<string>();
  for (const start of byId.keys()) {
    if (done.has(start)) continue;
    // Iterative depth-first search: a DAG of 10,000 jobs must not overflow the stack.
    const path: string[] = [];
    const onPath = new Set<string>();
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    path.push(start);
    onPath.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)!.dependsOn;
      if (top.next >= deps.length) {
        stack.pop();
        path.pop();
        onPath.delete(top.id);
        done.add(top.id);
        continue;
      }
      const dep = deps[top.next++]!;
      if (!byId.has(dep) || done.has(dep)) continue;
      if (onPath.has(dep)) return [...path.slice(path.indexOf(dep)), dep];
      stack.push({ id: dep, next: 0 });
      path.push(dep);
      onPath.add(dep);
    }
  }
  return null;
}
