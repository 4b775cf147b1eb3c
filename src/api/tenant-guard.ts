import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { mayUseQueue, sees, type TenantId } from "../core/tenancy";
import { getQueue } from "../db/queries/queues";
import { TakenByAnotherTenant } from "../db/queries/insert-jobs";
import { jobs, type QueueRow } from "../db/schema";
import type { AppEnv } from "./app-env";
import { tenantOf } from "./auth";
import { ApiError, notFound } from "./errors";

/**
 * Guards for routes that name one thing: another tenant's thing answers exactly as a missing one
 * does (404), so a tenant learns nothing of what others have.
 */

/** The queue, if the caller's tenant owns it (a platform key: any queue). */
export async function visibleQueue(c: Context<AppEnv>, name: string): Promise<QueueRow> {
  const queue = await getQueue(c.var.db, name);
  if (!queue || !sees(tenantOf(c), queue.tenantId)) throw notFound("queue", name);
  return queue;
}

/** Whether the caller's tenant owns the queue (a platform key: any). */
export async function ownsQueue(c: Context<AppEnv>, name: string): Promise<boolean> {
  const tenant = tenantOf(c);
  return tenant === null || (await getQueue(c.var.db, name))?.tenantId === tenant;
}

/**
 * Before a queue is created or changed by name: the caller may change its own queues and create
 * new ones; a shared queue is the platform's to configure, and another tenant's name is taken.
 */
export async function assertQueueWritable(c: Context<AppEnv>, name: string): Promise<void> {
  const tenant = tenantOf(c);
  if (tenant === null) return;
  const queue = await getQueue(c.var.db, name);
  if (!queue || queue.tenantId === tenant) return;
  if (queue.tenantId === null) throw new ApiError(403, "forbidden", `queue ${name} is shared; only a platform key may configure it`, { queue: name });
  throw new TakenByAnotherTenant("queue", name);
}

/** Before jobs or a schedule name a queue: a tenant may use its own, shared and new queues. */
export async function assertQueueUsable(c: Context<AppEnv>, name: string): Promise<void> {
  const tenant = tenantOf(c);
  if (tenant === null) return;
  const queue = await getQueue(c.var.db, name);
  if (queue && !mayUseQueue(tenant, queue.tenantId)) throw new TakenByAnotherTenant("queue", name);
}

/** 404 unless the job is the caller's tenant's; a platform key skips the read. */
export async function assertJobVisible(c: Context<AppEnv>, id: string): Promise<void> {
  const tenant = tenantOf(c);
  if (tenant === null) return;
  const [row] = await c.var.db.select({ tenantId: jobs.tenantId }).from(jobs).where(eq(jobs.id, id));
  if (!row || !sees(tenant, row.tenantId)) throw notFound("job", id);
}

/** The tenant a query is scoped to, as the queries take it (undefined: no scope). */
export function scopeOf(c: Context<AppEnv>): { tenant: TenantId } {
  return { tenant: tenantOf(c) };
}
