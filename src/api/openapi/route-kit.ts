import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import type { Scope } from "../../auth/scopes";
import { requireScope } from "../auth";
import { jsonBody } from "./json-body";

/** Every error the API answers with, whatever the status. */
export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) })
  .openapi("Error", { example: { error: { code: "validation_failed", message: "invalid request body: type: expected string", details: [] } } });

const ERROR_MEANINGS = {
  400: "The input is invalid; `details` names each wrong field.",
  401: "No API key, or not a valid one.",
  403: "The key's scopes do not allow this.",
  404: "No such resource.",
  409: "The resource is in a state that does not allow this.",
  413: "The body or a payload is over its limit.",
  415: "The body is not JSON.",
  426: "This endpoint needs a WebSocket upgrade.",
  429: "Too many requests for this key; see Retry-After.",
  500: "Internal error; the request may be retried.",
} as const;

type ErrorStatus = keyof typeof ERROR_MEANINGS;

const errorResponse = (status: ErrorStatus) => ({ description: ERROR_MEANINGS[status], content: { "application/json": { schema: errorSchema } } });

/** The error responses of a route: those every guarded route can give, plus `extra`. */
export function errors(...extra: ErrorStatus[]) {
  const statuses = [...new Set<ErrorStatus>([401, 403, 429, 500, ...extra])];
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(s)])) as Record<ErrorStatus, ReturnType<typeof errorResponse>>;
}

export const jsonResponse = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });

/** A JSON request body for the route's validator and the document. */
export const jsonRequest = <S extends z.ZodType>(schema: S) => ({ required: true, content: { "application/json": { schema } } });

/**
 * What a route needs from its caller: a key holding `scope`, and for routes with a body, a JSON body
 * of at most `bodyLimit` bytes (read and checked before the validator parses it).
 */
export function access(scope: Scope, bodyLimit?: number) {
  const middleware: MiddlewareHandler<AppEnv>[] = bodyLimit === undefined ? [requireScope(scope)] : [requireScope(scope), jsonBody(bodyLimit)];
  return { security: [{ bearer: [] }], middleware, "x-scope": scope };
}
