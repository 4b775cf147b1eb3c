import type { MiddlewareHandler } from "hono";
import { chooseLimiter } from "../ratelimit/choose-limiter";
import { DEFAULT_INGRESS_POLICY, parsePolicy, rateLimitHeaders } from "../ratelimit/policy";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";
import { log } from "../log";

/**
 * Limits requests per API key: the key's own policy, else EDGEQ_RATE_LIMIT, else the default.
 * Every answer carries RateLimit-* headers; a refusal is a 429 with Retry-After. If the limiter
 * itself is unreachable the request goes through: the limit protects the API, it must not stop it.
 */
export const limitRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.var.principal;
  const policy = principal?.rateLimit ?? (c.env.EDGEQ_RATE_LIMIT ? parsePolicy(c.env.EDGEQ_RATE_LIMIT) : DEFAULT_INGRESS_POLICY);
  if (!principal || !policy) return next();
  const verdict = await chooseLimiter(c.env, "ingress")
    .limit(principal.keyId ?? "bootstrap", policy)
    .catch((error: unknown) => {
      log("error", "the rate limiter failed; letting the request through", { requestId: c.var.requestId }, error);
      return null;
    });
  if (!verdict) return next();
  const headers = rateLimitHeaders(verdict, policy, Date.now());
  if (!verdict.success) {
    throw new ApiError(429, "rate_limited", `this key may make ${policy.limit} requests per ${policy.windowMs / 1000} s; try again in ${headers["Retry-After"]} s`, {
      limit: policy.limit,
      windowMs: policy.windowMs,
      retryAfterSeconds: Number(headers["Retry-After"]),
    }, headers);
  }
  await next();
  if (c.res.status === 101) return;
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};
