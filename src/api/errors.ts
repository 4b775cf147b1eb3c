import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { allowsPrivateTargets, checkOutboundTarget } from "../core/outbound-target";
import { quotaRefusal, type QuotaBreach } from "../core/tenancy";
import { TakenByAnotherTenant } from "../db/queries/insert-jobs";

/** Machine-readable error codes; the HTTP status says the class, the code says the case. */
export type ErrorCode =
  | "invalid_json"
  | "unsupported_media_type"
  | "validation_failed"
  | "payload_too_large"
  | "not_found"
  | "route_not_found"
  | "job_running"
  | "job_final"
  | "not_retryable_state"
  | "schedule_exists"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "upgrade_required"
  | "job_not_failed"
  | "job_not_queued"
  | "not_enough_history"
  | "target_not_allowed"
  | "signing_secret_missing"
  | "delivery_pending"
  | "queue_not_pull"
  | "lease_stale"
  | "quota_exceeded"
  | "name_taken"
  | "tenant_exists"
  | "internal";

/** An error meant for the client: becomes `{"error": {"code", "message", "details"}}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = {},
    /** Headers the answer carries (Retry-After, WWW-Authenticate …). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, "not_found", `no ${what} with id ${id}`, { id });

/** Marks a zod issue as "too large" so it answers 413 rather than 400. */
export const TOO_LARGE = "payload_too_large";

/** A zod failure as a 400 (or 413 when a size limit was passed), naming every field that is wrong. */
export function validationError(error: z.ZodError, where: string): ApiError {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
  const first = details[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid";
  const tooLarge = error.issues.some((i) => i.code === "custom" && (i as { params?: { reason?: string } }).params?.reason === TOO_LARGE);
  return tooLarge
    ? new ApiError(413, "payload_too_large", `${where}: ${summary}`, details)
    : new ApiError(400, "validation_failed", `invalid ${where}: ${summary}${details.length > 1 ? ` (and ${details.length - 1} more)` : ""}`, details);
}

/** A webhook, callback or endpoint URL edgeq may not send to (see src/core/outbound-target.ts). */
export function checkTarget(env: { EDGEQ_ALLOW_PRIVATE_WEBHOOKS?: string }, field: string, url: string): void {
  const check = checkOutboundTarget(url, allowsPrivateTargets(env));
  if (!check.ok) {
    throw new ApiError(400, "target_not_allowed", `${field}: ${check.reason}; edgeq sends only to public https URLs unless EDGEQ_ALLOW_PRIVATE_WEBHOOKS is set`, [
      { path: field, message: check.reason, code: "target_not_allowed" },
    ]);
  }
}

/** A callback must be a URL edgeq may call, and edgeq must have a secret to sign it with. */
export function checkCallback(env: { EDGEQ_ALLOW_PRIVATE_WEBHOOKS?: string; EDGEQ_SIGNING_SECRET?: string }, field: string, url: string): void {
  checkTarget(env, field, url);
  if (!env.EDGEQ_SIGNING_SECRET) throw new ApiError(400, "signing_secret_missing", `${field}: callbacks are signed; set EDGEQ_SIGNING_SECRET (a whsec_… secret) first`);
}

/**
 * A global name another tenant holds (queue names and job ids are global, like bucket names):
 * a 409 that says so without saying anything about the other tenant's data.
 */
export function takenError(error: unknown): ApiError | null {
  if (!(error instanceof TakenByAnotherTenant)) return null;
  return new ApiError(409, "name_taken", `${error.message}; choose another ${error.what === "queue" ? "queue name" : "id"}`, { [error.what === "queue" ? "queue" : "id"]: error.taken });
}

/** SQLSTATE of the quota triggers (migration 0011). */
const QUOTA_SQLSTATE = "EQ001";

/** A database error that is a tenant quota refusing a statement, as the API's answer; else null. */
export function quotaError(error: unknown, now: number): ApiError | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const pg = e as Error & { code?: string; detail?: string };
    if (pg.code !== QUOTA_SQLSTATE || !pg.detail) continue;
    const breach = JSON.parse(pg.detail) as QuotaBreach;
    const refusal = quotaRefusal(breach, now);
    return new ApiError(refusal.status, "quota_exceeded", refusal.message, breach, refusal.retryAfterSeconds === null ? {} : { "Retry-After": String(refusal.retryAfterSeconds) });
  }
  return null;
}
