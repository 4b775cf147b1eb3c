import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as flowSweep from "../../src/cron/flow-sweep";
import * as reconciler from "../../src/cron/reconciler";
import { api, uniqueQueue } from "../helpers/api";
import { db, jobCount } from "../helpers/db";
import { deliver, drain, scheduler } from "../helpers/deliver";

const job = async (id: string) => (await api("GET", `/api/v1/jobs/${id}`)).body;

/** A seeded random DAG: job i depends on up to three earlier jobs. */
function dag(size: number, seed: number) {
  let x = seed;
  const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const ids = Array.from({ length: size }, () => crypto.randomUUID());
  return ids.map((id, i) => {
    const deps = new Set<string>();
    for (let k = 0; k < 3 && i > 0; k++) if (random() < 0.7) deps.add(ids[Math.floor(random() * i)]!);
    return { id, type: "echo", payload: { i }, ...(deps.size > 0 ? { dependsOn: [...deps] } : {}) };
  });
}

describe("job dependencies", () => {
  it("runs a DAG of 50 jobs in dependency order", async () => {
    const queue = uniqueQueue("dag");
    const jobs = dag(50, 7);
    const res = await api("POST", "/api/v1/jobs/batch", { queue, jobs });
    expect(res.status).toBe(201);
    const states = new Map(res.body.jobs.map((j: { id: string; state: string }) => [j.id, j.state]));
    for (const j of jobs) expect(states.get(j.id)).toBe(j.dependsOn ? "waiting" : "queued");

    expect(await drain(queue)).toBe(50);
    const stored = new Map((await api("GET", `/api/v1/jobs?queue=${queue}&limit=100`)).body.jobs.map((j: { id: string }) => [j.id, j]));
    for (const j of jobs) {
      const mine = stored.get(j.id) as { state: string; startedAt: string; attempt: number };
      expect(mine).toMatchObject({ state: "completed", attempt: 1 });
      for (const dep of j.dependsOn ?? []) {
        const parent = stored.get(dep) as { finishedAt: string };
        expect(Date.parse(mine.startedAt)).toBeGreaterThanOrEqual(Date.parse(parent.finishedAt));
      }
    }
    expect(jobs.filter((j) => j.dependsOn).length).toBeGreaterThan(30);
  });

  it("cancels dependents of a dead job down the graph, naming the dependency, unless they asked to run anyway", async () => {
    const queue = uniqueQueue("fail");
    const root = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { retryable: false } });
    const child = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [root.body.id] });
    const grandchild = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [child.body.id] });
    const stubborn = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [root.body.id], onDependencyFailure: "run" });
    expect([child.body.state, grandchild.body.state, stubborn.body.state]).toEqual(["waiting", "waiting", "waiting"]);

    await drain(queue);
    expect((await job(root.body.id)).state).toBe("dead");
    expect(await job(child.body.id)).toMatchObject({ state: "cancelled", attempt: 0, error: { code: "dependency_failed", message: `dependency ${root.body.id} is dead` } });
    expect(await job(grandchild.body.id)).toMatchObject({ state: "cancelled", error: { message: `dependency ${child.body.id} is cancelled` } });
    expect(await job(stubborn.body.id)).toMatchObject({ state: "completed", attempt: 1 });
  });

  it("cancels dependents when a dependency is cancelled through the API", async () => {
    const queue = uniqueQueue("cancel");
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const parent = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const child = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [parent.body.id] });
    expect((await api("DELETE", `/api/v1/jobs/${parent.body.id}`)).status).toBe(200);
    expect(await job(child.body.id)).toMatchObject({ state: "cancelled", error: { message: `dependency ${parent.body.id} is cancelled` } });
  });

  it("queues at once a job whose dependencies already completed, and cancels at once one whose dependency is dead", async () => {
    const queue = uniqueQueue("done");
    const ok = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const bad = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { retryable: false } });
    await drain(queue);
    const after = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [ok.body.id] });
    expect(after.body).toMatchObject({ state: "queued", position: expect.any(Number) });
    const doomed = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [ok.body.id, bad.body.id] });
    expect(doomed.body).toMatchObject({ state: "cancelled", error: { code: "dependency_failed" } });
    expect(await deliver(queue)).toHaveLength(1);
  });

  it("releases a job once when two consumers finish its last two dependencies at the same moment", async () => {
    const [a, b] = [uniqueQueue("pa"), uniqueQueue("pb")];
    const first = await api("POST", "/api/v1/jobs", { queue: a, type: "echo" });
    const second = await api("POST", "/api/v1/jobs", { queue: b, type: "echo" });
    const child = await api("POST", "/api/v1/jobs", { queue: a, type: "echo", dependsOn: [first.body.id, second.body.id] });
    await Promise.all([deliver(a), deliver(b)]);
    expect((await job(child.body.id)).state).toBe("queued");
    expect((await scheduler(a).leases()).map((l) => l.id)).toEqual([child.body.id]);
    await deliver(a);
    expect(await job(child.body.id)).toMatchObject({ state: "completed", attempt: 1 });
  });

  it("draws a job's ancestors and descendants with their states", async () => {
    const queue = uniqueQueue("graph");
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const a = (await api("POST", "/api/v1/jobs", { queue, type: "echo" })).body.id;
    const b = (await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [a] })).body.id;
    const c = (await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [b] })).body.id;
    const d = (await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [a, b] })).body.id;
    const unrelated = (await api("POST", "/api/v1/jobs", { queue, type: "echo" })).body.id;

    const res = await api("GET", `/api/v1/jobs/${b}/graph`);
    expect(res.status).toBe(200);
    const roles = Object.fromEntries(res.body.nodes.map((n: { id: string; role: string; state: string }) => [n.id, `${n.role}:${n.state}`]));
    expect(roles).toEqual({ [b]: "self:waiting", [a]: "ancestor:queued", [c]: "descendant:waiting", [d]: "descendant:waiting" });
    expect(roles[unrelated]).toBeUndefined();
    const edges = res.body.edges.map((e: { from: string; to: string }) => `${e.from}>${e.to}`).sort();
    expect(edges).toEqual([`${a}>${b}`, `${a}>${d}`, `${b}>${c}`, `${b}>${d}`].sort());
    expect(res.body.truncated).toBe(false);
    expect((await api("GET", `/api/v1/jobs/${crypto.randomUUID()}/graph`)).status).toBe(404);
  });

  it("keeps waiting jobs out of the scheduler: the reconciler and a rebuild do not enqueue them", async () => {
    const [parents, children] = [uniqueQueue("held"), uniqueQueue("waits")];
    await api("POST", `/api/v1/queues/${parents}/pause`);
    const parent = await api("POST", "/api/v1/jobs", { queue: parents, type: "echo" });
    const child = await api("POST", "/api/v1/jobs", { queue: children, type: "echo", dependsOn: [parent.body.id] });

    const report = await reconciler.runOnce(env, Date.now() + 10 * 60_000);
    expect(report.rebuilt.find((r) => r.queue === children)).toBeUndefined();
    expect(await scheduler(children).rebuild(children)).toEqual({ added: 0, removed: 0 });
    expect(await scheduler(children).stats()).toMatchObject({ ready: 0, delayed: 0, leased: 0 });
    expect((await job(child.body.id)).state).toBe("waiting");
  });

  it("the cron sweep releases a waiting job whose dependency finished behind a writer that died", async () => {
    const queue = uniqueQueue("sweep");
    await api("POST", `/api/v1/queues/${queue}/pause`);
    const parent = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    const child = await api("POST", "/api/v1/jobs", { queue, type: "echo", dependsOn: [parent.body.id] });
    // The outcome written, the follow-up never run: as if the consumer died between the two.
    await db((d) => d.execute(sql`update jobs set state = 'completed', finished_at = now() where id = ${parent.body.id}`));
    await api("POST", `/api/v1/queues/${queue}/resume`);
    await scheduler(queue).remove([parent.body.id]);

    const report = await flowSweep.runOnce(env, Date.now());
    expect(report.released).toBeGreaterThanOrEqual(1);
    expect((await job(child.body.id)).state).toBe("queued");
    expect(await deliver(queue)).toHaveLength(1);
    expect((await job(child.body.id)).state).toBe("completed");
  });
});

describe("bad dependencies get a 400 and write nothing", () => {
  it("refuses a self-dependency, an unknown dependency, a cycle, a duplicate id, and onDependencyFailure alone", async () => {
    const queue = uniqueQueue("baddeps");
    const [x, y] = [crypto.randomUUID(), crypto.randomUUID()];
    const cases: [string, string, unknown, string][] = [
      ["self", "/api/v1/jobs", { queue, type: "echo", id: x, dependsOn: [x] }, "itself"],
      ["self in a batch", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo", id: x, dependsOn: [x] }] }, "itself"],
      ["unknown", "/api/v1/jobs", { queue, type: "echo", dependsOn: [crypto.randomUUID()] }, "no job with id"],
      ["unknown in a batch", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo", id: x }, { type: "echo", dependsOn: [x, y] }] }, `no job with id ${y}`],
      ["cycle", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo", id: x, dependsOn: [y] }, { type: "echo", id: y, dependsOn: [x] }] }, "cycle"],
      ["duplicate id", "/api/v1/jobs/batch", { queue, jobs: [{ type: "echo", id: x }, { type: "echo", id: x }] }, "two jobs"],
      ["not a uuid", "/api/v1/jobs", { queue, type: "echo", dependsOn: ["nope"] }, "dependsOn"],
      ["policy without dependencies", "/api/v1/jobs", { queue, type: "echo", onDependencyFailure: "run" }, "needs dependsOn"],
      ["unknown policy", "/api/v1/jobs", { queue, type: "echo", dependsOn: [x], onDependencyFailure: "ignore" }, "onDependencyFailure"],
    ];
    for (const [name, path, body, mentions] of cases) {
      const res = await api("POST", path, body);
      expect({ name, status: res.status, code: res.body.error?.code }).toEqual({ name, status: 400, code: "validation_failed" });
      expect(res.body.error.message + JSON.stringify(res.body.error.details)).toContain(mentions);
    }
    expect(await jobCount(queue)).toBe(0);
  });
});
