import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, client, uniqueQueue, url } from "./helpers";

const ALL_TOOLS = [
  "enqueue_job",
  "get_job",
  "cancel_job",
  "list_queues",
  "get_queue_depth",
  "list_dlq",
  "get_dlq_job",
  "retry_dlq_job",
  "delete_dlq_job",
  "list_executions",
  "get_job_executions",
  "get_stats",
  "health_check",
  "analyze_failure",
];
const WRITE_TOOLS = ["enqueue_job", "cancel_job", "retry_dlq_job", "delete_dlq_job"];

async function connect(key: string): Promise<Client> {
  const mcp = new Client({ name: "edgeq-test", version: "1.0.0" });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return mcp;
}

/** Calls a tool and parses its JSON answer; `isError` says whether the tool reported a failure. */
async function call(mcp: Client, name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; body: any }> {
  const result = await mcp.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // validation errors from the MCP SDK are plain text
  }
  return { isError: result.isError === true, body };
}

const edgeq = client();
let admin: Client;

beforeAll(async () => {
  admin = await connect(adminKey);
});
afterAll(async () => {
  await admin?.close();
});

describe("the MCP endpoint", () => {
  it("lists every tool with a description and a JSON schema for an admin key", async () => {
    const { tools } = await admin.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...ALL_TOOLS].sort());
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe("object");
    }
    const enqueue = tools.find((t) => t.name === "enqueue_job")!;
    expect(enqueue.inputSchema.required).toEqual(["type"]);
    expect(Object.keys(enqueue.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(["queue", "payload", "priority", "delaySeconds"]));
    expect(tools.find((t) => t.name === "get_job")!.annotations?.readOnlyHint).toBe(true);
  });

  it("shows a read-only key only the read tools, and refuses the others", async () => {
    const reader = await edgeq.keys.create({ name: "mcp-reader", scopes: ["read"] });
    const mcp = await connect(reader.key);
    try {
      const names = (await mcp.listTools()).tools.map((t) => t.name);
      expect(names.sort()).toEqual(ALL_TOOLS.filter((n) => !WRITE_TOOLS.includes(n)).sort());
      const { body: failed } = await call(admin, "enqueue_job", { queue: uniqueQueue("mcp-ro"), type: "fail", payload: { retryable: false } });
      await edgeq.waitFor(failed.id, { timeoutMs: 30_000 });
      expect(await call(mcp, "analyze_failure", { id: failed.id })).toMatchObject({ isError: false, body: { verdict: "not_retryable" } });
      const refused = await call(mcp, "enqueue_job", { type: "echo" });
      expect(refused.isError).toBe(true);
      expect(String(refused.body)).toContain("enqueue_job");
    } finally {
      await mcp.close();
    }
  });

  it("refuses a caller without a valid key", async () => {
    await expect(connect("not-a-key")).rejects.toThrow(/401|unauthorized/i);
    const response = await fetch(`${url}/mcp`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(401);
  });

  it("enqueues, reads, counts and lists executions of a job", async () => {
    const queue = uniqueQueue("mcp");
    const enqueued = await call(admin, "enqueue_job", { queue, type: "echo", payload: { from: "assistant" }, priority: "high" });
    expect(enqueued).toMatchObject({ isError: false, body: { queue, type: "echo", priority: 8, created: true } });
    const id = enqueued.body.id as string;
    await edgeq.waitFor(id, { timeoutMs: 30_000 });

    expect((await call(admin, "get_job", { id })).body).toMatchObject({ id, state: "completed", result: { from: "assistant" } });
    expect((await call(admin, "get_job_executions", { id })).body).toMatchObject({ jobId: id, state: "completed", attempts: [{ attempt: 1, outcome: "completed" }] });
    expect((await call(admin, "list_queues")).body.map((q: { name: string }) => q.name)).toContain(queue);
    expect((await call(admin, "get_queue_depth", { queue })).body).toMatchObject({ queue, paused: false, counts: { completed: 1 }, scheduler: { ready: 0 } });
    const executions = await call(admin, "list_executions", { queue });
    expect(executions.body.attempts).toEqual([expect.objectContaining({ jobId: id, outcome: "completed" })]);
    const stats = await call(admin, "get_stats", { queue });
    expect(stats.body.queues).toEqual([expect.objectContaining({ queue })]);
    expect(stats.body.durations).toBeDefined();
    expect((await call(admin, "health_check")).body).toMatchObject({ status: "ok" });
  });

  it("cancels a job that has not run, and reports the API's error on a second cancel", async () => {
    const { body: job } = await call(admin, "enqueue_job", { queue: uniqueQueue("mcp"), type: "echo", delaySeconds: 3600 });
    expect((await call(admin, "cancel_job", { id: job.id })).body).toMatchObject({ id: job.id, state: "cancelled" });
    expect(await call(admin, "cancel_job", { id: job.id })).toMatchObject({ isError: true, body: { error: { code: "job_final" } } });
  });

  it("finds, explains, retries and deletes a dead-lettered job", async () => {
    const queue = uniqueQueue("mcp-dlq");
    const { body: job } = await call(admin, "enqueue_job", { queue, type: "fail", payload: { retryable: false, message: "card declined" } });
    await edgeq.waitFor(job.id, { timeoutMs: 30_000 });

    const dlq = await call(admin, "list_dlq", { queue });
    expect(dlq.body.jobs.map((j: { id: string }) => j.id)).toEqual([job.id]);
    expect((await call(admin, "get_dlq_job", { id: job.id })).body).toMatchObject({ id: job.id, state: "dead", error: { message: "card declined" } });
    const analysis = await call(admin, "analyze_failure", { id: job.id });
    expect(analysis.body).toMatchObject({ jobId: job.id, verdict: "not_retryable", lastError: { message: "card declined" }, attempts: { total: 1, failed: 1 } });
    expect(analysis.body.suggestions.length).toBeGreaterThan(0);
    expect(analysis.body.insight).toMatchObject({ job_id: job.id, source: "builtin" });
    expect(analysis.body.insight.suggested_action).toBeTruthy();

    expect((await call(admin, "retry_dlq_job", { id: job.id })).body).toMatchObject({ id: job.id });
    await edgeq.waitFor(job.id, { timeoutMs: 30_000 });
    expect((await call(admin, "delete_dlq_job", { id: job.id })).body).toEqual({ deleted: true, id: job.id });
    expect(await call(admin, "get_dlq_job", { id: job.id })).toMatchObject({ isError: true, body: { error: { code: "not_found" } } });
  });

  it("rejects bad arguments before calling the API", async () => {
    const bad = await call(admin, "get_job", { id: "not-a-uuid" });
    expect(bad.isError).toBe(true);
    expect(String(JSON.stringify(bad.body))).toMatch(/uuid/i);
    const { body: done } = await call(admin, "enqueue_job", { type: "echo" });
    await edgeq.waitFor(done.id, { timeoutMs: 30_000 });
    expect(await call(admin, "get_dlq_job", { id: done.id })).toMatchObject({ isError: true, body: { error: { code: "not_found" } } });
    expect(await call(admin, "retry_dlq_job", { id: done.id })).toMatchObject({ isError: true, body: { error: { code: "not_retryable_state" } } });
  });
});
