import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertJobs } from "../../src/db/queries/insert-jobs";
import { api, uniqueQueue } from "../helpers/api";
import { db, jobCount } from "../helpers/db";

const as = (key: string) => ({ authorization: `Bearer ${key}` });

/** A new tenant with these quotas and an admin key of it. */
async function tenant(quotas: Record<string, number>) {
  const id = `quota-${crypto.randomUUID().slice(0, 8)}`;
  expect((await api("POST", "/api/v1/tenants", { id, name: id, quotas })).status).toBe(201);
  const key = await api("POST", "/api/v1/keys", { name: `${id} admin`, scopes: ["admin"], tenant: id });
  return { id, h: as(key.body.key as string) };
}

const usage = async (id: string) => (await api("GET", `/api/v1/tenants/${id}`)).body.usage as { storedJobs: number; submittedToday: number; queues: number };

describe("tenant quotas", () => {
  it("refuses jobs past the daily quota with a 429 that says when to come back, writing none of them", async () => {
    const t = await tenant({ jobsPerDay: 5 });
    const queue = uniqueQueue();
    expect((await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }, { type: "echo" }] }, t.h)).status).toBe(201);
    const over = await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }, { type: "echo" }] }, t.h);
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: "quota_exceeded", details: { tenant: t.id, quota: "jobsPerDay", limit: 5 } });
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    // All or nothing: not two of the three.
    expect(await jobCount(queue)).toBe(3);
    expect((await api("POST", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo" }, { type: "echo" }] }, t.h)).status).toBe(201);
    expect(await usage(t.id)).toMatchObject({ submittedToday: 5, storedJobs: 5 });
    // The next UTC day starts a new count (the count follows the jobs' creation time).
    const tomorrow = new Date(Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000 + 1000);
    const next = await db((d) => insertJobs(d, queue, t.id, [{ type: "echo", payload: null, priority: 5, runAt: null }], tomorrow, "key:test"));
    expect(next.jobs).toHaveLength(1);
  });

  it("refuses jobs past the stored-jobs quota with a 403, and takes them again once jobs are deleted", async () => {
    const t = await tenant({ storedJobs: 4 });
    const queue = uniqueQueue();
    const first = await api("POST", "/api/v1/jobs/batch", { queue, jobs: Array.from({ length: 4 }, () => ({ type: "echo", runAt: new Date(Date.now() + 3_600_000).toISOString() })) }, t.h);
    expect(first.status).toBe(201);
    const over = await api("POST", "/api/v1/jobs", { queue, type: "echo" }, t.h);
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({ code: "quota_exceeded", details: { quota: "storedJobs", limit: 4, used: 5 } });
    expect(over.headers.get("retry-after")).toBeNull();
    // Retention (or any delete) gives room back: the counter follows every delete.
    await db((d) => d.execute(sql`delete from jobs where id = ${first.body.jobs[0].id}`));
    expect(await usage(t.id)).toMatchObject({ storedJobs: 3 });
    expect((await api("POST", "/api/v1/jobs", { queue, type: "echo" }, t.h)).status).toBe(201);
  });

  it("counts concurrent submissions one after another: exactly the quota is stored", async () => {
    const t = await tenant({ storedJobs: 10 });
    const queue = uniqueQueue();
    const batch = { queue, jobs: Array.from({ length: 6 }, () => ({ type: "echo", runAt: new Date(Date.now() + 3_600_000).toISOString() })) };
    const answers = await Promise.all([api("POST", "/api/v1/jobs/batch", batch, t.h), api("POST", "/api/v1/jobs/batch", batch, t.h)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403]);
    expect(await jobCount(queue)).toBe(6);
    expect(await usage(t.id)).toMatchObject({ storedJobs: 6 });
  });

  it("refuses a queue past the queues quota, by submission or by configuration", async () => {
    const t = await tenant({ queues: 1 });
    const [one, two] = [uniqueQueue(), uniqueQueue()];
    expect((await api("POST", "/api/v1/jobs", { queue: one, type: "echo" }, t.h)).status).toBe(201);
    const bySubmit = await api("POST", "/api/v1/jobs", { queue: two, type: "echo" }, t.h);
    expect(bySubmit.status).toBe(403);
    expect(bySubmit.body.error).toMatchObject({ code: "quota_exceeded", details: { quota: "queues", limit: 1 } });
    expect((await api("PUT", `/api/v1/queues/${two}`, { concurrency: 3 }, t.h)).status).toBe(403);
    expect(await jobCount(two)).toBe(0);
    expect((await api("GET", `/api/v1/queues/${two}`)).status).toBe(404);
    // Its own queue still takes jobs, and the shared default queue is nobody's to count.
    expect((await api("POST", "/api/v1/jobs", { queue: one, type: "echo" }, t.h)).status).toBe(201);
    expect((await api("POST", "/api/v1/jobs", { type: "echo" }, t.h)).status).toBe(201);
    expect(await usage(t.id)).toMatchObject({ queues: 1 });
  });

  it("limits requests per second across all of a tenant's keys", async () => {
    const t = await tenant({ requestsPerSecond: 2 });
    const other = await api("POST", "/api/v1/keys", { name: "second key", scopes: ["read"] }, t.h);
    const keys = [t.h, as(other.body.key as string)];
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => api("GET", "/api/v1/queues", undefined, keys[i % 2])));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.body.error.message).toContain(`tenant ${t.id}`);
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps tenants to the platform: a tenant's key cannot make or change tenants, or make another tenant's keys", async () => {
    const t = await tenant({});
    expect((await api("POST", "/api/v1/tenants", { id: `x-${crypto.randomUUID().slice(0, 8)}`, name: "x" }, t.h)).status).toBe(403);
    expect((await api("PATCH", `/api/v1/tenants/${t.id}`, { quotas: {} }, t.h)).status).toBe(403);
    expect((await api("POST", "/api/v1/keys", { name: "k", scopes: ["admin"], tenant: "someone-else" }, t.h)).status).toBe(403);
    // Its own tenant it may read.
    expect((await api("GET", `/api/v1/tenants/${t.id}`, undefined, t.h)).body).toMatchObject({ id: t.id, quotas: {} });
  });

  it("answers bad tenant input with 400s and a taken id with 409", async () => {
    const t = await tenant({});
    for (const body of [{ id: "Has Caps", name: "x" }, { id: "ok-id", name: "" }, { id: "ok-id", name: "x", quotas: { jobsPerDay: -1 } }, { id: "ok-id", name: "x", quotas: { bogus: 1 } }]) {
      const res = await api("POST", "/api/v1/tenants", body);
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({ body, status: 400, code: "validation_failed" });
    }
    expect((await api("POST", "/api/v1/tenants", { id: t.id, name: "again" })).body.error.code).toBe("tenant_exists");
    expect((await api("POST", "/api/v1/keys", { name: "k", scopes: ["read"], tenant: "no-such-tenant" })).status).toBe(404);
    expect((await api("PATCH", "/api/v1/tenants/no-such-tenant", { name: "x" })).status).toBe(404);
  });
});
