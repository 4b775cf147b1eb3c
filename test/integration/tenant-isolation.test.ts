import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/api/app";
import { DOCS_PATH, OPENAPI_PATH } from "../../src/api/routes/docs";
import { MCP_PATH } from "../../src/api/routes/mcp";
import { api, uniqueQueue } from "../helpers/api";
import { drain } from "../helpers/deliver";
import { connect } from "../helpers/live";
import { target } from "../helpers/webhooks";

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const suffix = crypto.randomUUID().slice(0, 8);

/** Makes a tenant and an admin key of it, through the API with the platform's key. */
async function tenantWithKey(id: string) {
  expect((await api("POST", "/api/v1/tenants", { id, name: `Tenant ${id}` })).status).toBe(201);
  const key = await api("POST", "/api/v1/keys", { name: `${id} admin`, scopes: ["admin"], tenant: id });
  expect(key.status).toBe(201);
  expect(key.body.tenant).toBe(id);
  return key.body as { id: string; key: string };
}

/** Everything tenant A owns, made through A's key; its ids and names are what B must never see. */
interface Owned {
  tenant: string;
  key: { id: string; key: string };
  queue: string;
  pullQueue: string;
  jobId: string;
  deadId: string;
  batchId: string;
  scheduleId: string;
  scheduleName: string;
  webhookId: string;
  webhookUrl: string;
  deliveryId: string;
  workerId: string;
  insightId: string;
  rateKey: string;
  endpointUrl: string;
}

async function makeOwned(tenant: string, key: { id: string; key: string }): Promise<Owned> {
  const h = as(key.key);
  const queue = uniqueQueue(`${tenant}-q`);
  const pullQueue = uniqueQueue(`${tenant}-pull`);
  const webhookUrl = `${target}/hook/${tenant}-${suffix}`;
  const hook = await api("POST", "/api/v1/webhooks", { url: webhookUrl, events: ["job.completed", "job.dead"] }, h);
  expect(hook.status).toBe(201);
  const job = await api("POST", "/api/v1/jobs", { queue, type: "echo", payload: { secret: tenant } }, h);
  const dead = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { retryable: false }, maxAttempts: 1 }, h);
  expect([job.status, dead.status]).toEqual([201, 201]);
  await drain(queue);
  const batch = await api("POST", "/api/v1/job-batches", { name: `${tenant}-batch`, jobs: [{ queue, type: "echo" }] }, h);
  expect(batch.status).toBe(201);
  const scheduleName = `${tenant}-nightly`;
  const schedule = await api("POST", "/api/v1/schedules", { name: scheduleName, cron: "0 3 * * *", job: { queue, type: "echo" } }, h);
  expect(schedule.status).toBe(201);
  expect((await api("PUT", `/api/v1/queues/${pullQueue}`, { mode: "pull" }, h)).status).toBe(200);
  const workerId = `${tenant}-worker`;
  expect((await api("PUT", `/api/v1/workers/${workerId}`, { name: "box", queues: [pullQueue] }, h)).status).toBe(200);
  const rateKey = `${tenant}-stripe`;
  expect((await api("PUT", `/api/v1/rate-limits/${rateKey}`, { limit: 7, periodMs: 1000 }, h)).status).toBe(200);
  const endpointUrl = `${target}/endpoint/${tenant}`;
  expect((await api("PUT", `/api/v1/queues/${queue}/endpoint`, { url: endpointUrl }, h)).status).toBe(201);
  const insight = await api("POST", "/api/v1/insights/analyze", { job_id: dead.body.id }, h);
  expect(insight.status).toBeLessThan(300);
  const deliveries = await api("GET", `/api/v1/webhooks/${hook.body.id}/deliveries`, undefined, h);
  expect(deliveries.body.deliveries.length).toBeGreaterThan(0);
  return {
    tenant,
    key,
    queue,
    pullQueue,
    jobId: job.body.id,
    deadId: dead.body.id,
    batchId: batch.body.id,
    scheduleId: schedule.body.id,
    scheduleName,
    webhookId: hook.body.id,
    webhookUrl,
    deliveryId: deliveries.body.deliveries[0].id,
    workerId,
    insightId: insight.body.id,
    rateKey,
    endpointUrl,
  };
}

/** The path parameters of every route, filled with tenant A's things. */
function fill(path: string, a: Owned): string {
  const byParam: Record<string, string> = { name: a.queue, key: a.rateKey, deliveryId: a.deliveryId };
  const byPrefix: [string, string][] = [
    ["/api/v1/jobs/", a.deadId],
    ["/job-status/", a.jobId],
    ["/api/v1/job-batches/", a.batchId],
    ["/api/v1/dlq/", a.deadId],
    ["/api/v1/webhooks/", a.webhookId],
    ["/api/v1/schedules/", a.scheduleId],
    ["/api/v1/workers/", a.workerId],
    ["/api/v1/keys/", a.key.id],
    ["/api/v1/tenants/", a.tenant],
    ["/api/v1/insights/", a.insightId],
    ["/api/insights/", a.insightId],
    ["/api/v1/endpoints/", "echo"],
  ];
  return path.replace(/:(\w+)/g, (_, param: string) => byParam[param] ?? byPrefix.find(([p]) => path.startsWith(p))?.[1] ?? `unfilled-${param}`);
}

/** A valid body for each route that takes one, aimed at tenant A's things wherever it can name them. */
function bodyFor(route: string, a: Owned): unknown {
  const bodies: Record<string, unknown> = {
    "POST /api/v1/jobs/predict-success": { queue: a.queue, type: "echo", payload: {} },
    "POST /api/v1/jobs": { queue: a.queue, type: "echo" },
    "POST /api/v1/jobs/batch": { jobs: [{ queue: a.queue, type: "echo" }, { type: "echo", dependsOn: [a.jobId] }] },
    "POST /api/v1/jobs/:id/retry": undefined,
    "POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver": undefined,
    "POST /api/v1/schedules/:id/trigger": undefined,
    "POST /api/v1/schedules/:id/pause": undefined,
    "POST /api/v1/schedules/:id/resume": undefined,
    "POST /api/v1/job-batches": { name: "b", jobs: [{ queue: a.queue, type: "echo" }] },
    "PUT /api/v1/rate-limits/:key": { limit: 1, periodMs: 1000 },
    "POST /api/v1/dlq/retry": { ids: [a.deadId] },
    "PUT /api/v1/queues/:name": { concurrency: 1 },
    "POST /api/v1/queues/:name/pause": undefined,
    "POST /api/v1/queues/:name/resume": undefined,
    "PUT /api/v1/queues/:name/endpoint": { url: `${target}/endpoint/b` },
    "POST /api/v1/queues/:name/lease": { count: 5, visibilityMs: 30_000, workerId: "b-worker" },
    "POST /api/v1/jobs/:id/heartbeat": { leaseId: "1", visibilityMs: 30_000 },
    "POST /api/v1/jobs/:id/complete": { leaseId: "1", result: "stolen" },
    "POST /api/v1/jobs/:id/fail": { leaseId: "1", error: { name: "Error", message: "stolen" } },
    "POST /api/v1/jobs/:id/release": { leaseId: "1" },
    "POST /api/v1/webhooks": { url: `${target}/hook/b-${suffix}`, events: ["job.completed"] },
    "PUT /api/v1/webhooks/:id": { enabled: false },
    "PUT /api/v1/endpoints/:name": { url: `${target}/endpoint/b` },
    "PUT /api/v1/workers/:id": { name: "b box", queues: [] },
    "POST /api/v1/keys": { name: "b reader", scopes: ["read"] },
    "POST /api/v1/tenants": { id: `b-made-${suffix}`, name: "made by b" },
    "PATCH /api/v1/tenants/:id": { quotas: { jobsPerDay: 1 } },
    "POST /api/v1/insights/analyze": { job_id: a.deadId },
    "POST /api/insights/analyze": { job_id: a.deadId },
    "POST /api/v1/schedules": { name: "b-sched", cron: "0 4 * * *", job: { queue: a.queue, type: "echo" } },
    "PUT /api/v1/schedules/:id": { cron: "0 5 * * *" },
    "POST /submit-job": { type: "echo" },
    "POST /api/v1/scheduled-jobs": { name: "b-compat", cron: "0 6 * * *", job: { queue: a.queue, type: "echo" } },
  };
  if (!(route in bodies) && /^(POST|PUT|PATCH) /.test(route)) throw new Error(`no body for ${route}: add one, so the route is tried with tenant B's key`);
  return bodies[route];
}

/** Routes where B acting on its own thing of the same name is right: its names are its own. */
const OWN_NAMESPACE = new Set(["PUT /api/v1/rate-limits/:key", "DELETE /api/v1/rate-limits/:key"]);

describe("tenants", () => {
  let a: Owned;
  let b: { id: string; key: string };

  beforeAll(async () => {
    a = await makeOwned(`acme-${suffix}`, await tenantWithKey(`acme-${suffix}`));
    b = await tenantWithKey(`globex-${suffix}`);
  });

  it("try every route with a second tenant's key and find nothing of the first's", async () => {
    const markers = [a.tenant, a.queue, a.pullQueue, a.jobId, a.deadId, a.batchId, a.scheduleId, a.scheduleName, a.webhookId, a.webhookUrl, a.deliveryId, a.workerId, a.insightId, a.key.id, a.rateKey, a.endpointUrl];
    const skipped = new Set(["GET /health", "GET /healthz", `GET ${OPENAPI_PATH}`, `GET ${DOCS_PATH}`]);
    const routes = [...new Set(app.routes.filter((r) => r.method !== "ALL" && !r.path.startsWith(MCP_PATH)).map((r) => `${r.method} ${r.path}`))].filter((r) => !skipped.has(r));
    expect(routes.length).toBeGreaterThan(80);
    const leaks: string[] = [];
    // Deletes last, so the other routes still find what they would otherwise delete.
    for (const route of routes.sort((x, y) => Number(x.startsWith("DELETE")) - Number(y.startsWith("DELETE")))) {
      const [method, path] = route.split(" ") as [string, string];
      const url = fill(path, a);
      const body = bodyFor(route, a);
      const res = await api(method, url, body, as(b.key));
      const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
      // What B sent may come back (an error naming the id asked for); anything else of A's is a leak.
      const sent = url + JSON.stringify(body ?? null);
      const seen = markers.filter((m) => text.includes(m) && !sent.includes(m));
      if (res.status >= 500) leaks.push(`${route}: ${res.status} ${text.slice(0, 200)}`);
      if (seen.length > 0 && !OWN_NAMESPACE.has(route)) leaks.push(`${route}: ${res.status} shows ${seen.join(", ")}`);
      // A route naming one of A's things must not succeed on it.
      if (path.includes(":") && res.status < 300 && !OWN_NAMESPACE.has(route)) leaks.push(`${route}: ${res.status} on A's ${path}`);
    }
    expect(leaks).toEqual([]);
  });

  it("left tenant A's things as they were", async () => {
    const h = as(a.key.key);
    expect((await api("GET", `/api/v1/jobs/${a.jobId}`, undefined, h)).body).toMatchObject({ state: "completed", result: { secret: a.tenant } });
    expect((await api("GET", `/api/v1/jobs/${a.deadId}`, undefined, h)).body.state).toBe("dead");
    expect((await api("GET", `/api/v1/queues/${a.queue}`, undefined, h)).body).toMatchObject({ paused: false });
    expect((await api("GET", `/api/v1/schedules/${a.scheduleId}`, undefined, h)).body).toMatchObject({ cron: "0 3 * * *", enabled: true });
    expect((await api("GET", `/api/v1/webhooks/${a.webhookId}`, undefined, h)).body).toMatchObject({ enabled: true });
    expect((await api("GET", `/api/v1/rate-limits/${a.rateKey}`, undefined, h)).body).toMatchObject({ key: a.rateKey, limit: 7 });
    expect((await api("GET", `/api/v1/queues/${a.queue}/endpoint`, undefined, h)).body).toMatchObject({ url: a.endpointUrl });
    expect((await api("GET", "/api/v1/workers", undefined, h)).body.workers.map((w: { id: string }) => w.id)).toContain(a.workerId);
    expect((await api("GET", "/api/v1/keys", undefined, h)).body.keys).toEqual([expect.objectContaining({ id: a.key.id, revokedAt: null, tenant: a.tenant })]);
  });

  it("lets a platform key see every tenant's things", async () => {
    expect((await api("GET", `/api/v1/jobs/${a.jobId}`)).status).toBe(200);
    expect((await api("GET", `/api/v1/queues/${a.queue}`)).status).toBe(200);
    const tenants = (await api("GET", "/api/v1/tenants")).body.tenants.map((t: { id: string }) => t.id);
    expect(tenants).toEqual(expect.arrayContaining([a.tenant, `globex-${suffix}`]));
  });

  it("sends a tenant's live events to its own sockets only", async () => {
    const mine = await connectAs(a.key.key);
    const theirs = await connectAs(b.key);
    const platform = await connectAs(env.EDGEQ_ADMIN_KEY!);
    const { body } = await api("POST", "/api/v1/jobs", { queue: a.queue, type: "echo" }, as(a.key.key));
    await drain(a.queue);
    await mine.next((m) => (m.events ?? []).some((e) => e.jobId === body.id));
    await platform.next((m) => (m.events ?? []).some((e) => e.jobId === body.id));
    // B's socket, open the whole time, heard nothing of A's: a later event of B's own comes, A's never did.
    const own = await api("POST", "/api/v1/jobs", { queue: uniqueQueue("globex"), type: "echo" }, as(b.key));
    await drain(own.body.queue);
    await theirs.next((m) => (m.events ?? []).some((e) => e.jobId === own.body.id));
    expect(theirs.events().filter((e) => e.jobId === body.id || e.queue === a.queue)).toEqual([]);
    // Asking for A's queue by name changes nothing: the key decides whose events come.
    theirs.ws.send(JSON.stringify({ subscribe: { queues: [a.queue] } }));
    await theirs.next((m) => m.type === "subscribed");
    for (const s of [mine, theirs, platform]) s.ws.close();
  });
});

function connectAs(key: string) {
  return connect(`access_token=${encodeURIComponent(key)}`);
}

describe("the platform's shared queues", () => {
  it("take any tenant's jobs; each tenant sees and dedupes only its own", async () => {
    const acme = await tenantWithKey(`sh-acme-${suffix}`);
    const globex = await tenantWithKey(`sh-globex-${suffix}`);
    const shared = uniqueQueue("shared");
    expect((await api("PUT", `/api/v1/queues/${shared}`, { concurrency: 10 })).body).toMatchObject({ name: shared });
    const one = await api("POST", "/api/v1/jobs", { queue: shared, type: "echo", idempotencyKey: "order-1" }, as(acme.key));
    const two = await api("POST", "/api/v1/jobs", { queue: shared, type: "echo", idempotencyKey: "order-1" }, as(globex.key));
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body.id).not.toBe(one.body.id);
    // Debounce keys too: each tenant's pending job of a key is its own.
    const debounced = [];
    for (const h of [as(acme.key), as(globex.key), as(acme.key)]) debounced.push(await api("POST", "/api/v1/jobs", { queue: shared, type: "echo", debounce: { key: "reindex", delayMs: 60_000 } }, h));
    expect(debounced.map((d) => d.status)).toEqual([201, 201, 200]);
    expect(new Set(debounced.map((d) => d.body.id)).size).toBe(2);
    expect(debounced[2]!.body.id).toBe(debounced[0]!.body.id);
    const listed = await api("GET", `/api/v1/jobs?queue=${shared}`, undefined, as(acme.key));
    expect(listed.body.jobs.map((j: { id: string }) => j.id).sort()).toEqual([one.body.id, debounced[0]!.body.id].sort());
    // The shared queue is the platform's to configure, and not a tenant's to list.
    expect((await api("PUT", `/api/v1/queues/${shared}`, { concurrency: 1 }, as(acme.key))).status).toBe(403);
    expect((await api("GET", `/api/v1/queues/${shared}`, undefined, as(acme.key))).status).toBe(404);
    // Insights of a shared queue explain several tenants' failures at once: the platform's, not a tenant's.
    const failing = await api("POST", "/api/v1/jobs", { queue: shared, type: "fail", payload: { retryable: false }, maxAttempts: 1 }, as(globex.key));
    await drain(shared);
    expect((await api("POST", "/api/v1/insights/analyze", { job_id: failing.body.id }, as(globex.key))).status).toBe(403);
    expect((await api("POST", "/api/v1/insights/analyze", { job_id: failing.body.id })).status).toBeLessThan(300);
    // A job the platform submits to a tenant's queue is that tenant's.
    const owned = uniqueQueue("owned");
    await api("POST", "/api/v1/jobs", { queue: owned, type: "echo" }, as(acme.key));
    const byPlatform = await api("POST", "/api/v1/jobs", { queue: owned, type: "echo" });
    expect((await api("GET", `/api/v1/jobs/${byPlatform.body.id}`, undefined, as(acme.key))).status).toBe(200);
  });
});
