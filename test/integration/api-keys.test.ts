import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SCALAR_SCRIPT } from "../../src/api/routes/docs";
import { api, uniqueQueue } from "../helpers/api";
import { jobCount } from "../helpers/db";

const as = (key: string) => ({ authorization: `Bearer ${key}` });

async function makeKey(scopes: string[], name = "test key") {
  const res = await api("POST", "/api/v1/keys", { name, scopes });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; prefix: string; scopes: string[] };
}

describe("API keys", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers 401 as JSON without a key, with a malformed header, or with an unknown key", async () => {
    const queue = uniqueQueue("auth");
    for (const authorization of ["", "Basic dXNlcjpwYXNz", "Bearer", "Bearer eq_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Bearer not-a-key"]) {
      const res = await api("POST", "/api/v1/jobs", { queue, type: "echo" }, { authorization });
      expect({ authorization, status: res.status, code: res.body.error.code }).toEqual({ authorization, status: 401, code: "unauthorized" });
    }
    expect((await api("GET", "/job-status/00000000-0000-0000-0000-000000000000", undefined, { authorization: "" })).status).toBe(401);
    expect(await jobCount(queue)).toBe(0);
  });

  it("leaves health and the API's description open", async () => {
    for (const path of ["/health", "/healthz", "/api/v1/openapi.json", "/docs"]) {
      const res = await exportsFetch(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      if (path === "/docs") expect(await res.text()).toContain(`src="${SCALAR_SCRIPT}"`);
      else await res.arrayBuffer();
    }
  });

  it("shows a new key once, lists it by prefix, and holds each key to its scopes", async () => {
    const producer = await makeKey(["producer"], "billing producer");
    const reader = await makeKey(["read"], "dashboard");
    expect(producer.key).toMatch(/^eq_[0-9a-f]{12}_[\w-]{32}$/);
    expect(producer.key.startsWith(producer.prefix)).toBe(true);

    const listed = await api("GET", "/api/v1/keys");
    const row = listed.body.keys.find((k: { id: string }) => k.id === producer.id);
    expect(row).toMatchObject({ name: "billing producer", prefix: producer.prefix, scopes: ["producer"], revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(producer.key);

    const queue = uniqueQueue("scoped");
    const submitted = await api("POST", "/api/v1/jobs", { queue, type: "echo" }, as(producer.key));
    expect(submitted.status).toBe(201);
    expect((await api("GET", `/api/v1/jobs/${submitted.body.id}`, undefined, as(producer.key))).status).toBe(200);
    expect((await api("GET", `/api/v1/jobs/${submitted.body.id}`, undefined, as(reader.key))).status).toBe(200);

    const forbidden: [string, string, unknown, string][] = [
      ["POST", "/api/v1/jobs", { queue, type: "echo" }, reader.key],
      ["POST", "/submit-job", { type: "echo" }, reader.key],
      ["PUT", `/api/v1/queues/${queue}`, { concurrency: 2 }, producer.key],
      ["DELETE", `/api/v1/jobs/${submitted.body.id}`, undefined, producer.key],
      ["GET", "/api/v1/keys", undefined, producer.key],
      ["POST", "/api/v1/keys", { name: "escalate", scopes: ["admin"] }, reader.key],
    ];
    for (const [method, path, body, key] of forbidden) {
      const res = await api(method, path, body, as(key));
      expect({ method, path, status: res.status, code: res.body.error.code }).toEqual({ method, path, status: 403, code: "forbidden" });
    }
    expect(await jobCount(queue)).toBe(1);

    const used = (await api("GET", "/api/v1/keys")).body.keys.find((k: { id: string }) => k.id === producer.id);
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(used.createdAt));
  });

  it("refuses a revoked key at once", async () => {
    const key = await makeKey(["read"]);
    expect((await api("GET", "/api/v1/queues", undefined, as(key.key))).status).toBe(200);
    const revoked = await api("DELETE", `/api/v1/keys/${key.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const res = await api("GET", "/api/v1/queues", undefined, as(key.key));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain("revoked");
    expect((await api("DELETE", `/api/v1/keys/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("compares keys in constant time", async () => {
    const key = await makeKey(["read"]);
    const compare = vi.spyOn(crypto.subtle, "timingSafeEqual");
    const tampered = key.key.slice(0, -1) + (key.key.endsWith("A") ? "B" : "A");
    expect((await api("GET", "/api/v1/queues", undefined, as(tampered))).status).toBe(401);
    expect((await api("GET", "/api/v1/queues", undefined, as(key.key))).status).toBe(200);
    // Each request compares the presented key's digest with the bootstrap key's and then the stored one.
    expect(compare.mock.calls.length).toBeGreaterThanOrEqual(4);
    for (const [a, b] of compare.mock.calls) expect([(a as ArrayBufferView).byteLength, (b as ArrayBufferView).byteLength]).toEqual([32, 32]);
  });

  it("rejects bad key requests and writes nothing", async () => {
    const before = (await api("GET", "/api/v1/keys")).body.keys.length;
    for (const body of [{ name: "", scopes: ["read"] }, { name: "x", scopes: [] }, { name: "x", scopes: ["root"] }, { name: "x" }, { name: "x", scopes: ["read"], key: "mine" }]) {
      const res = await api("POST", "/api/v1/keys", body);
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({ body, status: 400, code: "validation_failed" });
    }
    expect((await api("GET", "/api/v1/keys")).body.keys.length).toBe(before);
  });
});

const exportsFetch = (path: string) => exports.default.fetch(new Request(`http://edgeq.test${path}`));

describe("request ids", () => {
  it("echoes a request id and logs refused requests as JSON with it", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: string) => lines.push(line));
    const res = await api("GET", "/api/v1/queues", undefined, { authorization: "Bearer wrong", "x-request-id": "req-123" });
    spy.mockRestore();
    expect(res.headers.get("x-request-id")).toBe("req-123");
    const entry = lines.map((l) => JSON.parse(l)).find((e) => e.requestId === "req-123");
    expect(entry).toMatchObject({ level: "warn", msg: "request refused", status: 401, path: "/api/v1/queues" });
    expect((await api("GET", "/api/v1/queues")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
