import { sql } from "drizzle-orm";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as retention from "../../src/cron/retention";
import { insertJobs } from "../../src/db/queries/insert-jobs";
import { api, uniqueQueue } from "../helpers/api";
import { db, jobCount } from "../helpers/db";

const DAY = 86_400_000;

describe("retention", () => {
  it("prunes finished jobs past their age in bounded chunks, keeps recent, unfinished and younger dead jobs, and keeps the rollups", async () => {
    const queue = uniqueQueue("retain");
    const now = Date.now();
    const make = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "echo", payload: i, priority: 5, runAt: null }));
    const ids = await db(async (d) => (await insertJobs(d, queue, null, make(30), new Date(now - 40 * DAY), "key:test")).jobs.map((j) => j.job.id));
    const [oldDone, recentDone, oldDead, youngDead, oldCancelled, waiting] = [ids.slice(0, 12), ids.slice(12, 16), ids.slice(16, 19), ids.slice(19, 22), ids.slice(22, 25), ids.slice(25)];
    await db(async (d) => {
      const finish = (list: string[], state: string, ageDays: number) =>
        d.execute(sql`update jobs set state = ${state}, finished_at = ${new Date(now - ageDays * DAY).toISOString()}::timestamptz where id in ${list}`);
      await finish(oldDone, "completed", 20);
      await finish(recentDone, "completed", 2);
      await finish(oldDead, "dead", 100);
      await finish(youngDead, "dead", 30);
      await finish(oldCancelled, "cancelled", 15);
    });
    const rollupsBefore = await submittedInRollups(queue);

    // Chunks of 5, at most 2 per state per run: 10 of the 12 old completed jobs go first.
    expect(await retention.runOnce(env, now, { chunk: 5, maxChunks: 2 })).toMatchObject({ completed: 10, cancelled: 3, dead: 3 });
    expect(await retention.runOnce(env, now, { chunk: 5, maxChunks: 2 })).toMatchObject({ completed: 2, cancelled: 0, dead: 0 });

    expect(await jobCount(queue)).toBe(recentDone.length + youngDead.length + waiting.length);
    for (const id of [...recentDone, ...youngDead, ...waiting]) expect((await api("GET", `/api/v1/jobs/${id}`)).status).toBe(200);
    for (const id of [...oldDone, ...oldDead, ...oldCancelled]) expect((await api("GET", `/api/v1/jobs/${id}`)).status).toBe(404);
    expect(await submittedInRollups(queue)).toBe(rollupsBefore);
    expect(rollupsBefore).toBe(30);
    // Each job's audit trail went with it, and stayed with the jobs kept.
    const eventsOf = (list: string[]) =>
      db(async (d) => ((await d.execute(sql`select count(*)::int as n from job_events where job_id in ${list}`)).rows[0] as { n: number }).n);
    expect(await eventsOf([...oldDone, ...oldDead, ...oldCancelled])).toBe(0);
    expect(await eventsOf([...recentDone, ...youngDead, ...waiting])).toBe(recentDone.length + youngDead.length + waiting.length);
  });

  it("reads its ages from the environment", () => {
    expect(retention.retentionDays({ ...env, EDGEQ_RETENTION_DAYS: "3", EDGEQ_DEAD_RETENTION_DAYS: "bogus" })).toEqual({ completed: 3, cancelled: 3, dead: 90 });
  });
});

async function submittedInRollups(queue: string): Promise<number> {
  return db(async (d) => {
    const r = await d.execute(sql`select coalesce(sum(submitted), 0)::int as n from job_rollups where queue = ${queue} and granularity = 'day'`);
    return (r.rows[0] as { n: number }).n;
  });
}
