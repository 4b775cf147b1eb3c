import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver, scheduler } from "../helpers/deliver";

const slots = (key: string, now?: number) => env.CONCURRENCY_SLOTS.getByName(key).held(now);

/** The most attempts of these jobs that ran at the same time, from their start and finish times. */
async function peakOverlap(ids: string[]): Promise<number> {
  const rows = await db(async (d) => (await d.execute(sql`select started_at, finished_at from job_attempts where job_id in ${ids}`)).rows);
  const spans = (rows as { started_at: string; finished_at: string }[]).map((r) => [Date.parse(r.started_at), Date.parse(r.finished_at)] as const);
  return Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
}

describe("concurrency keys", () => {
  it("runs at most 2 jobs of one key at once across three queues, under load, and leaks no slot", async () => {
    const key = `customer-${crypto.randomUUID().slice(0, 8)}`;
    const queues = [uniqueQueue("ca"), uniqueQueue("cb"), uniqueQueue("cc")];
    const ids: string[] = [];
    for (const queue of queues) {
      const jobs = Array.from({ length: 10 }, (_, i) => ({ type: "sleep", payload: { ms: 15 }, concurrencyKey: key, concurrencyLimit: 2, priority: i % 3 }));
      ids.push(...(await api("POST", "/api/v1/jobs/batch", { queue, jobs })).body.jobs.map((j: { id: string }) => j.id));
      // Jobs without the key are not held back by it.
      await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    }
    const leased = async () => (await Promise.all(queues.map((q) => scheduler(q).leases()))).flat().filter((l) => ids.includes(l.id));
    expect(await leased()).toHaveLength(2);

    for (let round = 0; round < 40; round++) {
      // Every queue's consumer at once.
      const sent = (await Promise.all(queues.map((q) => deliver(q)))).flat();
      expect((await slots(key)).length).toBeLessThanOrEqual(2);
      expect((await leased()).length).toBeLessThanOrEqual(2);
      if (sent.length === 0) break;
    }
    const states = await db(async (d) => (await d.execute(sql`select state, count(*)::int as n from jobs where queue in ${queues} group by state`)).rows);
    expect(states).toEqual([{ state: "completed", n: 33 }]);
    expect(await peakOverlap(ids)).toBe(2);
    expect(await slots(key)).toEqual([]);
  });

  it("gives a slot back when a job fails, and takes back one whose runner was lost at its lease deadline", async () => {
    const key = `acct-${crypto.randomUUID().slice(0, 8)}`;
    const queue = uniqueQueue("cfail");
    const failing = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { times: 1 }, concurrencyKey: key, backoff: { type: "fixed", delayMs: 60_000 } });
    const next = await api("POST", "/api/v1/jobs", { queue, type: "echo", concurrencyKey: key });
    expect((await scheduler(queue).leases()).map((l) => l.id)).toEqual([failing.body.id]);
    await deliver(queue);
    // The failure (a retry, a minute away) freed the slot: the other job has it now.
    expect((await scheduler(queue).leases()).map((l) => l.id)).toEqual([next.body.id]);

    // Its runner dies: nothing reports. At the lease's deadline the slot is free again.
    const [lease] = await scheduler(queue).leases();
    expect((await slots(key, lease!.deadline - 1)).map((s) => s.id)).toEqual([next.body.id]);
    const retryAt = Date.parse((await api("GET", `/api/v1/jobs/${failing.body.id}`)).body.runAt);
    await scheduler(queue).tick(Math.max(lease!.deadline, retryAt));
    const leases = await scheduler(queue).leases();
    expect(leases).toHaveLength(1);
    expect((await slots(key, Math.max(lease!.deadline, retryAt))).map((s) => s.id)).toEqual([leases[0]!.id]);
  });
});
