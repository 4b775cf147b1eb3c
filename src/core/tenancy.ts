/**
 * Who sees what. A key belongs to one tenant or is a platform key (tenant null), which sees every
 * tenant's data. A queue belongs to a tenant or is shared (owner null): any tenant may submit to a
 * shared queue and sees only its own jobs in it; its aggregates mix tenants, so they stay the
 * platform's.
 */
export type TenantId = string | null;

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The queue jobs go to when they name none: shared by every tenant, whoever first used it. */
export const DEFAULT_QUEUE = "default";

/** Who owns a queue a submission creates: the submitter's tenant, except for the shared default queue. */
export function ownerOfNewQueue(name: string, tenant: TenantId): TenantId {
  return name === DEFAULT_QUEUE ? null : tenant;
}

/** A viewer sees a row it owns; a platform viewer sees every row. */
export function sees(viewer: TenantId, owner: TenantId): boolean {
  return viewer === null || owner === viewer;
}

/** A viewer may put jobs in its own queues and in shared ones. */
export function mayUseQueue(viewer: TenantId, queueOwner: TenantId): boolean {
  return viewer === null || queueOwner === null || queueOwner === viewer;
}

/**
 * Rate-limit and concurrency keys are names each tenant chooses; stored qualified by the tenant
 * so two tenants' `stripe` keys never share a limit. Platform keys stay as they are.
 */
export function qualifyKey(tenant: TenantId, key: string): string {
  return tenant === null ? key : `${tenant}/${key}`;
}

/** The name the tenant chose, as it sees it. */
export function unqualifyKey(tenant: TenantId, key: string): string {
  return tenant !== null && key.startsWith(`${tenant}/`) ? key.slice(tenant.length + 1) : key;
}

/** What the database says when a statement would break a quota (SQLSTATE EQ001's detail). */
export interface QuotaBreach {
  tenant: string;
  quota: "jobsPerDay" | "storedJobs" | "queues";
  limit: number;
  used: number;
  day?: string | null;
}

/**
 * How the API answers a breach: a daily quota is a 429 until the next UTC day (waiting helps);
 * stored jobs and queues are a 403 (only deleting or a higher quota helps).
 */
export function quotaRefusal(breach: QuotaBreach, now: number): { status: 403 | 429; message: string; retryAfterSeconds: number | null } {
  if (breach.quota === "jobsPerDay") {
    const nextDay = Math.floor(now / 86_400_000 + 1) * 86_400_000;
    const retryAfterSeconds = Math.max(1, Math.ceil((nextDay - now) / 1000));
    return { status: 429, message: `tenant ${breach.tenant} may submit ${breach.limit} jobs per day (UTC); try again in ${retryAfterSeconds} s`, retryAfterSeconds };
  }
  const what = breach.quota === "storedJobs" ? "stored jobs" : "queues";
  return { status: 403, message: `tenant ${breach.tenant} may keep at most ${breach.limit} ${what}; delete some or ask for a higher quota`, retryAfterSeconds: null };
}
