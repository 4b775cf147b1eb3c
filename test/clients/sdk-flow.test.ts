import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EdgeqError } from "../../src/client";
import { client, uniqueQueue } from "./helpers";

const edgeq = client();

describe("the SDK's flow control against the dev stack", () => {
  it("submits a batch whose jobs depend on each other, draws the graph, and follows the batch to completion", async () => {
    const queue = uniqueQueue("sdkbatch");
    const [first, second] = [randomUUID(), randomUUID()];
    const batch = await edgeq.batches.submit({
      name: "sdk chain",
      queue,
      jobs: [
        { id: first, type: "echo", payload: 1 },
        { id: second, type: "echo", payload: 2, dependsOn: [first] },
        { type: "echo", payload: 3, dependsOn: [second] },
      ],
    });
    expect(batch).toMatchObject({ name: "sdk chain", total: 3, existing: 0 });
    expect(batch.jobs.map((j) => j.state)).toEqual(["queued", "waiting", "waiting"]);

    const last = await edgeq.waitFor(batch.jobs[2]!.id, { timeoutMs: 30_000 });
    expect(last.state).toBe("completed");
    const graph = await edgeq.graph(second);
    expect(graph.nodes.map((n) => n.role).sort()).toEqual(["ancestor", "descendant", "self"]);
    expect(graph.edges).toHaveLength(2);
    const done = await edgeq.batches.get(batch.id);
    expect(done).toMatchObject({ completed: true, progress: 1, counts: { completed: 3 } });
  });

  it("sets, reads, lists and removes shared rate limits", async () => {
    const key = `sdk-${randomUUID().slice(0, 8)}`;
    expect(await edgeq.rateLimits.set(key, { limit: 100, periodMs: 1000 })).toMatchObject({ key, limit: 100, periodMs: 1000 });
    expect((await edgeq.rateLimits.list()).map((k) => k.key)).toContain(key);
    expect(await edgeq.rateLimits.get(key)).toMatchObject({ limit: 100 });
    expect(await edgeq.rateLimits.delete(key)).toEqual({ deleted: true, key });
    const error = await edgeq.rateLimits.get(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgeqError);
    expect(error).toMatchObject({ status: 404, code: "not_found" });
  });

  it("debounces without adding an idempotency key of its own", async () => {
    const queue = uniqueQueue("sdkdeb");
    const a = await edgeq.submit({ queue, type: "echo", payload: 1, debounce: { key: "k", delayMs: 60_000 } });
    const b = await edgeq.submit({ queue, type: "echo", payload: 2, debounce: { key: "k", delayMs: 60_000 } });
    expect(b).toMatchObject({ id: a.id, created: false, payload: 2, idempotencyKey: null });
  });
});
