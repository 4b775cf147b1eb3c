import { describe, expect, it } from "vitest";
import { EdgeqError } from "../../src/client";
import { client, uniqueQueue } from "./helpers";

describe("SDK: webhooks and endpoints", () => {
  it("creates, reads, changes, lists and deletes a webhook subscription, and reads its deliveries", async () => {
    const edgeq = client();
    const queue = uniqueQueue("sdk-hook");
    const created = await edgeq.webhooks.create({ url: "http://127.0.0.1:9/hook", events: ["job.completed"], queues: [queue] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(await edgeq.webhooks.get(created.id)).toMatchObject({ id: created.id, events: ["job.completed"], enabled: true });
    expect(await edgeq.webhooks.update(created.id, { enabled: false })).toMatchObject({ enabled: false });
    expect((await edgeq.webhooks.list()).map((w) => w.id)).toContain(created.id);
    expect(await edgeq.webhooks.deliveries(created.id)).toEqual([]);
    await edgeq.webhooks.delete(created.id);
    const gone = await edgeq.webhooks.get(created.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(EdgeqError);
    expect((gone as EdgeqError).status).toBe(404);
  });

  it("binds a job type and a queue to endpoints, lists and removes them", async () => {
    const edgeq = client();
    const type = `render-${crypto.randomUUID().slice(0, 8)}`;
    const queue = uniqueQueue("sdk-endpoint");
    expect(await edgeq.endpoints.set(type, { url: "http://127.0.0.1:9/run", timeoutMs: 5000, headers: { "x-team": "reports" } })).toMatchObject({ kind: "type", name: type });
    expect(await edgeq.endpoints.get(type)).toMatchObject({ url: "http://127.0.0.1:9/run" });
    expect(await edgeq.endpoints.setForQueue(queue, { url: "http://127.0.0.1:9/queue" })).toMatchObject({ kind: "queue", name: queue });
    const listed = await edgeq.endpoints.list();
    expect(listed.map((e) => e.name)).toEqual(expect.arrayContaining([type, queue]));
    await edgeq.endpoints.delete(type);
    await edgeq.endpoints.deleteForQueue(queue);
    expect((await edgeq.endpoints.list()).map((e) => e.name)).not.toContain(type);
    const bad = await edgeq.endpoints.set(type, { url: "not a url" }).catch((e: unknown) => e);
    expect((bad as EdgeqError).status).toBe(400);
  });
});
