import type { MiddlewareHandler } from "hono";
import { chooseLimiter } from "../ratelimit/choose-limiter";
import type { LimitPolicy, LimitVerdict } from "../ratelimit/limiter";
import { DEFAULT_INGRESS_POLICY, parsePolicy, rateLimitHeaders } from "../ratelimit/policy";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";
import { log } from "../log";

/**
 * Limits requests per API key (the key's own policy, else EDGEQ_RATE_LIMIT, else the default) and,
 * for a tenant with a requests-per-second quota, per tenant across all its keys. Every answer
 * carries the key's RateLimit-* headers; a refusal is a 429 with Retry-After. If the limiter itself
 * is unreachable the request goes through: the limit protects the API, it must not stop it.
 */
export const limitRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.var.principal;
  if (!principal) return next();
  const limiter = chooseLimiter(c.env, "ingress");
  const ask = (identifier: string, policy: LimitPolicy) =>
    limiter.limit(identifier, policy).catch((error: unknown): LimitVerdict | null => {
      log("error", "the rate limiter failed; letting the request through", { requestId: c.var.requestId }, error);
      return null;
    });
  const refuse = (verdict: LimitVerdict, policy: LimitPolicy, who: string) => {
    const headers = rateLimitHeaders(verdict, policy, Date.now());
    return new ApiError(429, "rate_limited", `${who} may make ${policy.limit} requests per ${policy.windowMs / 1000} s; try again in ${headers["Retry-After"]} s`, {
      limit: policy.limit,
      windowMs: policy.windowMs,
      retryAfterSeconds: Number(headers["Retry-After"]),
    }, headers);
  };

  const tenantPolicy = principal.tenantId !== null && principal.tenantRequestsPerSecond !== null ? { limit: principal.tenantRequestsPerSecond, windowMs: 1000 } : null;
  if (tenantPolicy) {
    const verdict = await ask(`tenant:${principal.tenantId}`, tenantPolicy);
    if (verdict && !verdict.success) throw refuse(verdict, tenantPolicy, `tenant ${principal.tenantId}`);
  }

  const policy = principal.rateLimit ?? (c.env.EDGEQ_RATE_LIMIT ? parsePolicy(c.env.EDGEQ_RATE_LIMIT) : DEFAULT_INGRESS_POLICY);
  const verdict = policy && (await ask(principal.keyId ?? "bootstrap", policy));
  if (!policy || !verdict) return next();
  if (!verdict.success) throw refuse(verdict, policy, "this key");
  const headers = rateLimitHeaders(verdict, policy, Date.now());
  await next();
  if (c.res.status === 101) return;
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};
