import { sql } from "drizzle-orm";
import type { JobState } from "../../core/states";
import type { Db } from "../client";

export interface GraphNode {
  id: string;
  queue: string;
  type: string;
  state: JobState;
  role: "self" | "ancestor" | "descendant";
}

/** An edge from a dependency to the job that waits for it. */
export interface GraphEdge {
  from: string;
  to: string;
}

/**
 * A job's ancestors (what it waits for, transitively) and descendants (what waits for it), with the
 * edges among them; at most `limit` nodes, nearest first. A dependency deleted since (retention)
 * has no node and no edge.
 */
export async function jobGraph(db: Db, id: string, limit: number): Promise<{ nodes: GraphNode[]; edges: GraphEdge[]; truncated: boolean }> {
  const result = await db.execute(sql`
    with recursive up(id) as (
      select depends_on from job_dependencies where job_id = ${id}
      union select d.depends_on from job_dependencies d join up on d.job_id = up.id
    ), down(id) as (
      select job_id from job_dependencies where depends_on = ${id}
      union select d.job_id from job_dependencies d join down on d.depends_on = down.id
    ), tagged as (
      select ${id}::uuid as id, 'self' as role
      union all select id, 'ancestor' from up
      union all select id, 'descendant' from down
    ), picked as (
      select j.id, j.queue, j.type, j.state, t.role from tagged t join jobs j on j.id = t.id
       order by (t.role = 'self') desc, j.created_at limit ${limit + 1}
    )
    select (select coalesce(json_agg(picked), '[]'::json) from picked) as nodes,
           (select coalesce(json_agg(json_build_object('from', d.depends_on, 'to', d.job_id)), '[]'::json)
              from job_dependencies d
             where d.job_id in (select id from picked) and d.depends_on in (select id from picked)) as edges`);
  const row = result.rows[0] as { nodes: GraphNode[]; edges: GraphEdge[] };
  const truncated = row.nodes.length > limit;
  const nodes = row.nodes.slice(0, limit);
  const kept = new Set(nodes.map((n) => n.id));
  return { nodes, edges: row.edges.filter((e) => kept.has(e.from) && kept.has(e.to)), truncated };
}
