import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { jobCount } from "../helpers/db";
import { deliver, scheduler } from "../helpers/deliver";

describe("debounce", () => {
  it("collapses 20 submissions into one run with the last payload, pushed back by each", async () => {
    const queue = uniqueQueue("deb");
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: { i }, debounce: { key: "reindex:42", delayMs: 5000 } }));
    expect(answers.map((a) => a.status)).toEqual([201, ...Array(19).fill(200)]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const last = answers.at(-1)!.body;
    expect(last).toMatchObject({ state: "scheduled", payload: { i: 19 }, debounceKey: "reindex:42", created: false });
    // Pushed back from the last submission, not the first.
    expect(Date.parse(last.runAt)).toBeGreaterThanOrEqual(Date.parse(answers[0]!.body.runAt));
    expect(Date.parse(last.runAt)).toBe(Date.parse(last.updatedAt) + 5000);
    expect(await jobCount(queue)).toBe(1);

    const due = Date.parse(last.runAt);
    expect(await scheduler(queue).tick(due - 1)).toMatchObject({ dispatched: 0 });
    expect(await scheduler(queue).tick(due)).toMatchObject({ dispatched: 1 });
    expect(await deliver(queue)).toHaveLength(1);
    expect((await api("GET", `/api/v1/jobs/${last.id}`)).body).toMatchObject({ state: "completed", result: { i: 19 }, attempt: 1 });

    // Once it ran, the key starts a new pending job.
    const again = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: { i: 20 }, debounce: { key: "reindex:42", delayMs: 5000 } });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(last.id);
  });

  it("keeps keys apart by queue and by key", async () => {
    const [a, b] = [uniqueQueue("da"), uniqueQueue("db")];
    const ids = new Set<string>();
    for (const [queue, key] of [[a, "x"], [a, "y"], [b, "x"], [a, "x"]] as const) {
      ids.add((await api("POST", "/api/v1/jobs", { queue, type: "echo", debounce: { key, delayMs: 1000 } })).body.id);
    }
    expect(ids.size).toBe(3);
  });

  it("refuses a bad debounce with a 400 and writes nothing", async () => {
    const queue = uniqueQueue("baddeb");
    const cases: [string, unknown, string][] = [
      ["/api/v1/jobs", { queue, type: "echo", debounce: { key: "k", delayMs: 0 } }, "delayMs"],
      ["/api/v1/jobs", { queue, type: "echo", debounce: { key: "k", delayMs: -5 } }, "delayMs"],
      ["/api/v1/jobs", { queue, type: "echo", debounce: { delayMs: 100 } }, "key"],
      ["/api/v1/jobs", { queue, type: "echo", debounce: { key: "", delayMs: 100 } }, "key"],
      ["/api/v1/jobs", { queue, type: "echo", debounce: { key: "k", delayMs: 100, extra: 1 } }, "extra"],
      ["/api/v1/jobs", { queue, type: "echo", delay: 5, debounce: { key: "k", delayMs: 100 } }, "delay"],
      ["/api/v1/jobs", { queue, type: "echo", idempotencyKey: "i", debounce: { key: "k", delayMs: 100 } }, "idempotencyKey"],
      ["/api/v1/jobs/batch", { queue, jobs: [{ type: "echo", debounce: { key: "k", delayMs: 100 } }, { type: "echo", debounce: { key: "k", delayMs: 100 } }] }, "appears twice"],
    ];
    for (const [path, body, mentions] of cases) {
      const res = await api("POST", path, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 400, code: "validation_failed" });
      expect(res.body.error.message + JSON.stringify(res.body.error.details)).toContain(mentions);
    }
    expect(await jobCount(queue)).toBe(0);
  });
});
