import { sql, type SQL } from "drizzle-orm";
import type { TenantId } from "../../core/tenancy";

/**
 * The condition that keeps a tenant to its own queues (a platform viewer, null or absent, sees
 * all). Aggregates of shared queues mix tenants, so a tenant sees only the queues it owns.
 */
export function ownQueue(queueColumn: SQL, tenant: TenantId | undefined): SQL {
  return tenant == null ? sql`true` : sql`${queueColumn} in (select name from queues where tenant_id = ${tenant})`;
}

/** The condition that keeps a tenant to its own rows of a table with a `tenant_id`. */
export function ownRow(tenantColumn: SQL, tenant: TenantId | undefined): SQL {
  return tenant == null ? sql`true` : sql`${tenantColumn} = ${tenant}`;
}
