import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver, scheduler } from "../helpers/deliver";

describe("ordering", () => {
  it("leases a backlog by priority, first in first out within a priority", async () => {
    const queue = uniqueQueue();
    await api("PUT", `/api/v1/queues/${queue}`, { concurrency: 1, paused: true });
    const order = ["low", 5, "critical", "high", 5, "low", 10, 0] as const;
    const ids: string[] = [];
    for (const priority of order) ids.push((await api("POST", "/api/v1/jobs", { queue, type: "echo", priority })).body.id);

    await api("POST", `/api/v1/queues/${queue}/resume`);
    const ran: string[] = [];
    for (let i = 0; i < order.length; i++) {
      const [message] = await deliver(queue);
      ran.push(message!.id);
    }
    // critical(10) and 10 by submission order, high(8), then the two 5s, the two lows(2), then 0.
    expect(ran).toEqual([ids[2], ids[6], ids[3], ids[1], ids[4], ids[0], ids[5], ids[7]]);
  });

  it("reports a new job's place in line", async () => {
    const queue = uniqueQueue();
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const a = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const b = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const urgent = await api("POST", "/api/v1/jobs", { queue, type: "echo", priority: "critical" });
    expect([a.body.position, b.body.position, urgent.body.position]).toEqual([1, 2, 1]);
  });
});

describe("delays", () => {
  it("holds a delayed job until it is due, on one alarm set to the due time", async () => {
    const queue = uniqueQueue();
    const submitted = await api("POST", "/api/v1/jobs", { queue, type: "echo", delay: 60 });
    expect(submitted.body.state).toBe("scheduled");
    expect(submitted.body.position).toBeNull();
    const dueAt = Date.parse(submitted.body.runAt);

    const stub = scheduler(queue);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(dueAt);
    expect(await stub.stats()).toMatchObject({ delayed: 1, leased: 0, nextWakeAt: dueAt });

    // A second before it is due: nothing moves.
    expect(await stub.tick(dueAt - 1000)).toMatchObject({ promoted: 0, dispatched: 0 });
    expect(await deliver(queue)).toHaveLength(0);

    // Due: the alarm's work leases it and the consumer runs it.
    expect(await stub.tick(dueAt)).toMatchObject({ promoted: 1, dispatched: 1 });
    expect(await deliver(queue)).toHaveLength(1);
    expect((await api("GET", `/api/v1/jobs/${submitted.body.id}`)).body.state).toBe("completed");
  });

  it("accepts runAt and delays in duration strings", async () => {
    const queue = uniqueQueue();
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const at = await api("POST", "/api/v1/jobs", { queue, type: "echo", runAt });
    expect(at.body).toMatchObject({ state: "scheduled", runAt });
    const later = await api("POST", "/api/v1/jobs", { queue, type: "echo", delay: "5m" });
    expect(Date.parse(later.body.runAt) - Date.parse(later.body.createdAt)).toBe(300_000);
  });
});
