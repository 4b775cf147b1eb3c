import { and, asc, eq, sql } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";
import type { Db } from "../client";
import { endpoints, type EndpointRow } from "../schema";

type Kind = EndpointRow["kind"];

/** Binds a job type or queue to an endpoint, replacing any binding it had. */
export async function putEndpoint(db: Db, row: Pick<EndpointRow, "kind" | "name" | "url" | "timeoutMs" | "headers">, now: Date): Promise<{ row: EndpointRow; created: boolean }> {
  const [saved] = await db
    .insert(endpoints)
    .values({ ...row, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [endpoints.kind, endpoints.name], set: { url: row.url, timeoutMs: row.timeoutMs, headers: row.headers, updatedAt: now } })
    .returning();
  return { row: saved!, created: saved!.createdAt.getTime() === now.getTime() };
}

/** Every binding, or a tenant's: the bindings of its own queues. */
export async function listEndpoints(db: Db, viewer: TenantId): Promise<EndpointRow[]> {
  return db
    .select()
    .from(endpoints)
    .where(viewer === null ? undefined : sql`${endpoints.kind} = 'queue' and ${endpoints.name} in (select name from queues where tenant_id = ${viewer})`)
    .orderBy(asc(endpoints.kind), asc(endpoints.name));
}

export async function getEndpoint(db: Db, kind: Kind, name: string): Promise<EndpointRow | null> {
  const [row] = await db.select().from(endpoints).where(and(eq(endpoints.kind, kind), eq(endpoints.name, name)));
  return row ?? null;
}

export async function deleteEndpoint(db: Db, kind: Kind, name: string): Promise<EndpointRow | null> {
  const [row] = await db.delete(endpoints).where(and(eq(endpoints.kind, kind), eq(endpoints.name, name))).returning();
  return row ?? null;
}
