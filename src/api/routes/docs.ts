import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { AppEnv } from "../app-env";

export const OPENAPI_PATH = "/api/v1/openapi.json";
export const DOCS_PATH = "/docs";
/** Served from dist/public/vendor (see scripts/vendor-assets.ts), so the reference works offline. */
export const SCALAR_SCRIPT = "/vendor/scalar-api-reference.js";

/** The OpenAPI 3.1 document of every route `api` serves. */
export function openApiDocument(api: OpenAPIHono<AppEnv>, origin: string) {
  return api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "edgeq", version: "1", description: "A background-job queue on Cloudflare's edge. Send an API key as `Authorization: Bearer eq_…`." },
    servers: [{ url: origin }],
  });
}

/** Serves the document and an interactive reference to it. */
export function docsRoutes(api: OpenAPIHono<AppEnv>) {
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An edgeq API key (eq_…)." });
  return new Hono<AppEnv>()
    .get(OPENAPI_PATH, (c) => c.json(openApiDocument(api, new URL(c.req.url).origin)))
    .get(DOCS_PATH, Scalar({ url: OPENAPI_PATH, pageTitle: "edgeq API", cdn: SCALAR_SCRIPT, authentication: { preferredSecurityScheme: "bearer" } }));
}
