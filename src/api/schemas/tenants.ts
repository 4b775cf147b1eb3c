import { z } from "@hono/zod-openapi";

const limit = (what: string) => z.number().int().min(0).max(1_000_000_000).optional().openapi({ description: what });

/** What a tenant may use; an absent limit is unlimited. */
export const tenantQuotasSchema = z
  .strictObject({
    jobsPerDay: limit("Jobs the tenant may submit per UTC day; past it, submissions answer 429 until the next day."),
    storedJobs: limit("Jobs the tenant may keep stored (any state, until retention prunes them); past it, submissions answer 403."),
    queues: limit("Queues the tenant may own; past it, a submission to a new queue answers 403."),
    requestsPerSecond: z.number().int().min(1).max(1_000_000).optional().openapi({ description: "Requests per second across all the tenant's keys; past it, 429." }),
  })
  .openapi("TenantQuotas");

export type TenantQuotas = z.output<typeof tenantQuotasSchema>;

export const tenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    quotas: tenantQuotasSchema,
    usage: z.object({ storedJobs: z.number().int(), submittedToday: z.number().int(), queues: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Tenant");
