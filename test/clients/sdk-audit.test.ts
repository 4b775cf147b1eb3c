import { describe, expect, it } from "vitest";
import { client, uniqueQueue } from "./helpers";

describe("SDK: audit trail, cost and forecast", () => {
  it("reads a job's trail and pages through the log", async () => {
    const edgeq = client();
    const queue = uniqueQueue("sdk-audit");
    const jobs = await edgeq.submitBatch({ queue, jobs: Array.from({ length: 3 }, () => ({ type: "echo" })) });
    const done = await edgeq.waitFor(jobs.jobs[0]!.id, { timeoutMs: 30_000 });
    expect(done.state).toBe("completed");
    const { events } = await edgeq.events(done.id);
    expect(events.map((e) => e.kind)).toEqual(["submitted", "started", "completed"]);

    const seen: string[] = [];
    for await (const page of edgeq.eventLog({ queue, kind: "submitted", limit: 2 })) seen.push(...page.events.map((e) => e.jobId));
    expect(seen.sort()).toEqual(jobs.jobs.map((j) => j.id).sort());
  });

  it("reads cost and forecast through the analytics reads", async () => {
    const edgeq = client();
    const cost = await edgeq.analytics("cost", { from: new Date(Date.now() - 3_600_000).toISOString() });
    expect(cost.totals.submitted).toBeGreaterThan(0);
    const forecast = await edgeq.analytics("forecast", { days: 3 });
    expect(Array.isArray(forecast.queues)).toBe(true);
  });
});
