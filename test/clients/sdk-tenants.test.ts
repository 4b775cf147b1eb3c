import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EdgeqError } from "../../src/client";
import { adminKey, client, uniqueQueue, url } from "./helpers";

const BIN = new URL("../../bin/edgeq.js", import.meta.url).pathname;

function edgeq(args: string[], key = adminKey): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: "/nonexistent", EDGEQ_URL: url, EDGEQ_KEY: key } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("SDK and CLI: tenants", () => {
  it("makes a tenant and its key; the tenant's client sees its own jobs and its quota refusals", async () => {
    const platform = client();
    const id = `sdk-${randomUUID().slice(0, 8)}`;
    const made = await platform.tenants.create({ id, name: "SDK tenant", quotas: { jobsPerDay: 2 } });
    expect(made).toMatchObject({ id, quotas: { jobsPerDay: 2 }, usage: { storedJobs: 0 } });
    const key = await platform.keys.create({ name: "sdk tenant admin", scopes: ["admin"], tenant: id });
    expect(key.tenant).toBe(id);

    const tenant = client(key.key, { maxRetries: 0 });
    const queue = uniqueQueue("sdk-tenant");
    await tenant.submitBatch({ queue, jobs: [{ type: "echo" }, { type: "echo" }] });
    const refused = await tenant.submit({ queue, type: "echo" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EdgeqError);
    expect(refused).toMatchObject({ status: 429, code: "quota_exceeded" });
    expect((await tenant.tenants.get(id)).usage).toMatchObject({ submittedToday: 2, queues: 1 });
    expect((await tenant.queues.list()).map((q) => q.name)).toEqual([queue]);
    await expect(tenant.tenants.list()).rejects.toMatchObject({ status: 403 });

    const updated = await platform.tenants.update(id, { quotas: {} });
    expect(updated.quotas).toEqual({});
    await tenant.submit({ queue, type: "echo" });
  });

  it("edgeq tenants create / quotas / list, and keys create --tenant", async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    const created = await edgeq(["tenants", "create", id, "--name", "CLI tenant", "--queues", "3", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id, quotas: { queues: 3 } });
    expect(JSON.parse((await edgeq(["tenants", "quotas", id, "--rps", "50", "--json"])).stdout).quotas).toEqual({ requestsPerSecond: 50 });
    const listed = await edgeq(["tenants", "list"]);
    expect(listed.stdout).toContain(id);
    const key = JSON.parse((await edgeq(["keys", "create", "cli tenant reader", "--scope", "read", "--tenant", id, "--json"])).stdout);
    expect(key.tenant).toBe(id);
    // The tenant's own key reads its tenant and no other's.
    expect((await edgeq(["tenants", "get", id], key.key)).stdout).toContain(id);
    expect((await edgeq(["tenants", "list"], key.key)).code).not.toBe(0);
  });
});
