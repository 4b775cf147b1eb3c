import type { z } from "@hono/zod-openapi";
import type { TenantWithUsage } from "../db/queries/tenants";
import type { tenantSchema } from "./schemas/tenants";

export function presentTenant(t: TenantWithUsage): z.output<typeof tenantSchema> {
  return {
    id: t.id,
    name: t.name,
    quotas: t.quotas,
    usage: { storedJobs: t.storedJobs, submittedToday: t.submittedToday, queues: t.queueCount },
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
