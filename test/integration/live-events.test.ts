import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { deliver } from "../helpers/deliver";
import { connect, type Message } from "../helpers/live";

describe("live events over a WebSocket", () => {
  it("pushes job, backlog and worker events for the queues a subscriber asked for", async () => {
    const queue = uniqueQueue("live");
    const other = uniqueQueue("other");
    const mine = await connect(`queue=${queue}&access_token=${env.EDGEQ_ADMIN_KEY}`);
    const theirs = await connect(`queue=${other}&access_token=${env.EDGEQ_ADMIN_KEY}`);
    await mine.next((m) => m.type === "hello");

    const submitted = await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "fail", payload: { retryable: false } }] });
    const [echoId, failId] = submitted.body.jobs.map((j: { id: string }) => j.id);
    await mine.next((m) => !!m.events?.some((e) => e.type === "queue.backlog"));
    await deliver(queue);

    const has = (type: string, jobId?: string) => (m: Message) => !!m.events?.some((e) => e.type === type && (jobId === undefined || e.jobId === jobId));
    await mine.next(has("job.completed", echoId));
    await mine.next(has("job.dead", failId));
    await mine.next(has("worker.batch"));
    expect(mine.events().filter((e) => e.type === "worker.batch").some((e) => e.queues?.includes(queue))).toBe(true);
    expect(mine.events().every((e) => e.queue === queue || e.queues?.includes(queue))).toBe(true);

    // Messages arrive in order: the other subscriber's first event is for its own queue, none of ours came before.
    await api("POST", "/api/v1/jobs", { queue: other, type: "echo" });
    await theirs.next((m) => !!m.events);
    expect(theirs.events().length).toBeGreaterThan(0);
    expect(theirs.events().every((e) => e.queue === other || e.queues?.includes(other))).toBe(true);

    mine.ws.close(1000, "done");
    theirs.ws.close(1000, "done");
  });

  it("lets a subscriber change its filter, and answers ping with pong", async () => {
    const queue = uniqueQueue("live");
    const sub = await connect(`type=job.completed&access_token=${env.EDGEQ_ADMIN_KEY}`);
    sub.ws.send(JSON.stringify({ subscribe: { queues: [queue], types: ["job.completed"] } }));
    await sub.next((m) => m.type === "subscribed");
    await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    await deliver(queue);
    await sub.next((m) => !!m.events);
    expect(sub.events().map((e) => [e.type, e.queue])).toEqual([["job.completed", queue]]);
    sub.ws.close(1000, "done");
  });

  it("refuses a plain request, a missing key and a bad filter", async () => {
    expect((await api("GET", "/api/v1/events")).body.error.code).toBe("upgrade_required");
    const noKey = await exports.default.fetch(new Request("http://edgeq.test/api/v1/events", { headers: { upgrade: "websocket" } }));
    expect(noKey.status).toBe(401);
    const badType = await api("GET", "/api/v1/events?type=job.exploded", undefined, { upgrade: "websocket" });
    expect(badType.status).toBe(400);
  });
});
