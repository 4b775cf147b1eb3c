import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { app } from "../../src/api/app";
import { DOCS_PATH, OPENAPI_PATH, openApiDocument } from "../../src/api/routes/docs";
import { MCP_PATH } from "../../src/api/routes/mcp";

const doc = openApiDocument(app, "http://edgeq.test");
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  // The document and its reference describe the API rather than being part of it; /mcp speaks
  // JSON-RPC (Model Context Protocol), which OpenAPI cannot describe: its tools list is its contract.
  it("lists every route the app serves, and only those", () => {
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && r.path !== OPENAPI_PATH && r.path !== DOCS_PATH && r.path !== MCP_PATH)
        .map((r) => `${r.method} ${r.path.replaceAll(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(
      Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    expect([...documented].sort()).toEqual([...served].sort());
    expect(served.size).toBeGreaterThan(15);
  });

  it("documents the error shape and the key each guarded route needs", () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        const statuses = Object.keys(op.responses ?? {});
        if (path === "/health" || path === "/healthz") {
          expect(op.security, `${method} ${path}`).toBeUndefined();
          continue;
        }
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["401", "403", "429", "500"]));
        expect(JSON.stringify(op.responses?.["401"])).toContain("#/components/schemas/Error");
        expect(["read", "producer", "admin"]).toContain((op as { "x-scope"?: string })["x-scope"]);
      }
    }
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
