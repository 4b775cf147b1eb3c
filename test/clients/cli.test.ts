import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminKey, client, uniqueQueue, url } from "./helpers";

const BIN = new URL("../../bin/edgeq.js", import.meta.url).pathname;
/** A home without a config file, so only what a test passes configures the CLI. */
const HOME = mkdtempSync(join(tmpdir(), "edgeq-cli-home-"));
const BASE_ENV = { PATH: process.env.PATH, HOME, XDG_CONFIG_HOME: join(HOME, ".config") };

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `edgeq` binary against the dev stack (EDGEQ_URL / EDGEQ_KEY unless `env` says otherwise). */
function edgeq(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...BASE_ENV, EDGEQ_URL: url, EDGEQ_KEY: adminKey, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function json(args: string[]): Promise<any> {
  const ran = await edgeq([...args, "--json"]);
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout);
}

const sdk = client();

describe("the edgeq CLI", () => {
  it("has --help with examples for every command group, and exits 2 on bad usage", async () => {
    const groups = ["jobs submit", "jobs list", "jobs wait", "batches submit", "batches get", "dlq retry", "dlq export", "queues set", "schedules create", "insights list", "keys create", "webhooks create", "tail", "health"];
    const ran = await Promise.all([edgeq(["--help"]), ...groups.map((g) => edgeq([...g.split(" "), "--help"]))]);
    for (const r of ran) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Examples:");
    }
    expect(ran[0]!.stdout).toContain("Exit codes:");
    expect(await edgeq(["jobs", "frobnicate"])).toMatchObject({ code: 2 });
    expect(await edgeq(["jobs", "list", "--limit", "many"])).toMatchObject({ code: 2 });
    expect(await edgeq(["jobs", "submit", "echo", "--payload", "{not json"])).toMatchObject({ code: 2 });
  });

  it("reads its configuration from flags, then the environment, then a config file", async () => {
    const config = join(HOME, "edgeq.json");
    writeFileSync(config, JSON.stringify({ url, key: adminKey }));
    expect(await edgeq(["queues", "list"], { EDGEQ_URL: undefined, EDGEQ_KEY: undefined, EDGEQ_CONFIG: config })).toMatchObject({ code: 0 });
    expect(await edgeq(["queues", "list"], { EDGEQ_KEY: "wrong" })).toMatchObject({ code: 5 });
    expect(await edgeq(["queues", "list", "--key", adminKey], { EDGEQ_KEY: "wrong" })).toMatchObject({ code: 0 });
    const missing = await edgeq(["queues", "list"], { EDGEQ_KEY: undefined });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain("no API key");
    expect(await edgeq(["queues", "list"], { EDGEQ_URL: "http://127.0.0.1:1" })).toMatchObject({ code: 7 });
  });

  it("submits, waits, gets and lists jobs, as tables and as JSON", async () => {
    const queue = uniqueQueue("cli");
    const waited = await edgeq(["jobs", "submit", "echo", "-q", queue, "-p", '{"n":1}', "--priority", "high", "--wait", "--timeout", "30s"]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(/ completed\n$/);
    const submitted = await json(["jobs", "submit", "echo", "-q", queue, "--delay", "1h", "--tag", "a,b"]);
    expect(submitted).toMatchObject({ queue, state: "scheduled", tags: ["a", "b"], created: true });

    const got = await edgeq(["jobs", "get", submitted.id]);
    expect(got.stdout).toMatch(new RegExp(`^id +${submitted.id}$`, "m"));
    expect(got.stdout).toMatch(/^state +scheduled$/m);
    const table = await edgeq(["jobs", "list", "-q", queue]);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID +QUEUE +TYPE +STATE/);
    expect(table.stdout.trim().split("\n")).toHaveLength(3);
    const listed = await json(["jobs", "list", "-q", queue, "-s", "completed", "--all"]);
    expect(listed.jobs).toHaveLength(1);
  });

  it("exits with codes that say what went wrong", async () => {
    const queue = uniqueQueue("cli");
    const delayed = await json(["jobs", "submit", "echo", "-q", queue, "--delay", "1h"]);
    expect(await edgeq(["jobs", "wait", delayed.id, "--timeout", "1s"])).toMatchObject({ code: 8 });
    expect(await edgeq(["jobs", "cancel", delayed.id])).toMatchObject({ code: 0, stdout: `cancelled ${delayed.id}\n` });
    const again = await edgeq(["jobs", "cancel", delayed.id]);
    expect(again).toMatchObject({ code: 4 });
    expect(again.stderr).toContain("job_final");
    expect(await edgeq(["jobs", "wait", delayed.id])).toMatchObject({ code: 9 });
    expect(await edgeq(["jobs", "get", "00000000-0000-4000-8000-000000000000"])).toMatchObject({ code: 3 });
    const bad = await edgeq(["jobs", "submit", "echo", "--priority", "99"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("priority");
    const reader = await sdk.keys.create({ name: "cli-reader", scopes: ["read"] });
    expect(await edgeq(["jobs", "submit", "echo"], { EDGEQ_KEY: reader.key })).toMatchObject({ code: 5 });
    expect(await edgeq(["jobs", "retry", delayed.id])).toMatchObject({ code: 0 });
  });

  it("submits jobs from an NDJSON file in batches", async () => {
    const queue = uniqueQueue("cli-bulk");
    const file = join(HOME, "jobs.ndjson");
    writeFileSync(file, Array.from({ length: 1500 }, (_, i) => JSON.stringify({ type: "echo", payload: { i }, delay: "1h" })).join("\n"));
    const ran = await edgeq(["jobs", "submit", "--file", file, "--queue", queue]);
    expect(ran).toMatchObject({ code: 0, stdout: "submitted 1500 jobs: 1500 created, 0 already existed\n" });
    expect((await sdk.queues.get(queue)).counts.scheduled).toBe(1500);
  });

  it("lists, exports, retries and deletes dead jobs", async () => {
    const queue = uniqueQueue("cli-dlq");
    const dead = await json(["jobs", "submit", "fail", "-q", queue, "-p", '{"retryable":false,"message":"nope"}']);
    expect(await edgeq(["jobs", "wait", dead.id, "--timeout", "30s"])).toMatchObject({ code: 9 });

    expect((await edgeq(["dlq", "list", "-q", queue])).stdout).toContain(dead.id);
    const out = join(HOME, "dead.ndjson");
    expect(await edgeq(["dlq", "export", "-q", queue, "-o", out])).toMatchObject({ code: 0, stderr: expect.stringContaining(`exported 1 dead jobs`) });
    const exported = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(exported).toEqual([expect.objectContaining({ id: dead.id, state: "dead", error: expect.objectContaining({ message: "nope" }) })]);
    expect((await edgeq(["dlq", "export", "-q", queue])).stdout.trim().split("\n")).toHaveLength(1);

    const analyzed = await json(["insights", "analyze", dead.id]);
    expect(analyzed).toMatchObject({ job_id: dead.id, queue });
    const insights = await edgeq(["insights", "list", "-q", queue]);
    expect(insights.stdout.split("\n")[0]).toMatch(/^ID +JOB +QUEUE +CATEGORY +ACTION/);
    expect(insights.stdout).toContain(analyzed.id);
    expect((await edgeq(["insights", "get", analyzed.id])).stdout).toMatch(new RegExp(`^job +${dead.id}$`, "m"));

    expect(await edgeq(["dlq", "retry", "-q", queue])).toMatchObject({ code: 0, stdout: "retried 1 dead jobs\n" });
    await sdk.waitFor(dead.id, { timeoutMs: 30_000 });
    expect(await edgeq(["dlq", "retry"])).toMatchObject({ code: 2 });
    expect(await edgeq(["dlq", "delete", dead.id])).toMatchObject({ code: 0, stdout: `deleted ${dead.id}\n` });
    expect(await edgeq(["dlq", "delete", dead.id])).toMatchObject({ code: 3 });
  });

  it("sets, shows, pauses and resumes queues", async () => {
    const queue = uniqueQueue("cli-q");
    expect(await json(["queues", "set", queue, "--concurrency", "3", "--max-attempts", "7"])).toMatchObject({ name: queue, concurrency: 3, maxAttempts: 7 });
    expect(await edgeq(["queues", "pause", queue])).toMatchObject({ code: 0, stdout: `${queue} paused\n` });
    const stats = await edgeq(["queues", "stats", queue]);
    expect(stats.stdout).toMatch(/^paused +true$/m);
    expect(stats.stdout).toMatch(/^ready +0$/m);
    expect((await edgeq(["queues", "list"])).stdout).toMatch(new RegExp(`^${queue} +yes +3 `, "m"));
    expect(await edgeq(["queues", "resume", queue])).toMatchObject({ code: 0, stdout: `${queue} resumed\n` });
    expect(await edgeq(["queues", "set", queue])).toMatchObject({ code: 2 });
  });

  it("manages schedules", async () => {
    const name = uniqueQueue("cli-sched");
    const created = await json(["schedules", "create", name, "0 9 * * MON-FRI", "echo", "--timezone", "Europe/Berlin", "-q", uniqueQueue()]);
    expect(created).toMatchObject({ name, timezone: "Europe/Berlin" });
    expect((await edgeq(["schedules", "list"])).stdout).toContain(name);
    expect((await json(["schedules", "next", created.id, "-n", "2"])).next).toHaveLength(2);
    expect(await json(["schedules", "update", created.id, "--cron", "0 8 * * *"])).toMatchObject({ cron: "0 8 * * *" });
    expect((await json(["schedules", "trigger", created.id])).job.created).toBe(true);
    expect(await edgeq(["schedules", "pause", created.id])).toMatchObject({ code: 0, stdout: `paused ${created.id}\n` });
    expect(await edgeq(["schedules", "resume", created.id])).toMatchObject({ code: 0 });
    expect(await edgeq(["schedules", "create", name, "* * * * *", "echo"])).toMatchObject({ code: 4 });
    expect(await edgeq(["schedules", "create", uniqueQueue(), "61 * * * *", "echo"])).toMatchObject({ code: 2 });
    expect(await edgeq(["schedules", "delete", created.id])).toMatchObject({ code: 0 });
    expect(await edgeq(["schedules", "get", created.id])).toMatchObject({ code: 3 });
  });

  it("makes, lists and revokes keys", async () => {
    const name = uniqueQueue("cli-key");
    const made = await edgeq(["keys", "create", name, "--scope", "producer"]);
    expect(made.code).toBe(0);
    const key = made.stdout.trim();
    expect(made.stderr).toContain("not shown again");
    expect(await edgeq(["jobs", "submit", "echo", "-q", uniqueQueue()], { EDGEQ_KEY: key })).toMatchObject({ code: 0 });
    const listed = (await json(["keys", "list"])) as { id: string; name: string }[];
    const id = listed.find((k) => k.name === name)!.id;
    expect(await edgeq(["keys", "revoke", id])).toMatchObject({ code: 0 });
    expect(await edgeq(["jobs", "list"], { EDGEQ_KEY: key })).toMatchObject({ code: 5 });
    expect(await edgeq(["keys", "create", "x", "--scope", "root"])).toMatchObject({ code: 2 });
  });

  it("manages webhooks and lists pull workers", async () => {
    const queue = uniqueQueue();
    const made = await edgeq(["webhooks", "create", "http://127.0.0.1:9/hook", "-e", "job.completed,job.dead", "-q", queue]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toMatch(/^whsec_/);
    const listed = (await json(["webhooks", "list"])) as { id: string; queues: string[]; events: string[] }[];
    const hook = listed.find((w) => w.queues.includes(queue))!;
    expect(hook.events).toEqual(["job.completed", "job.dead"]);
    expect(await json(["webhooks", "deliveries", hook.id, "--status", "failed"])).toEqual([]);
    expect(await edgeq(["webhooks", "create", "http://127.0.0.1:9/x", "-e", "job.nope"])).toMatchObject({ code: 2 });
    expect(await edgeq(["webhooks", "delete", hook.id])).toMatchObject({ code: 0 });
    expect(await edgeq(["webhooks", "delete", hook.id])).toMatchObject({ code: 3 });

    const workerId = uniqueQueue("cli-worker");
    await sdk.workers.announce(workerId, { name: "cli worker", queues: [queue], host: "box" });
    const workers = (await json(["workers", "list"])) as { id: string; name: string }[];
    expect(workers).toEqual(expect.arrayContaining([expect.objectContaining({ id: workerId, name: "cli worker" })]));
    expect((await edgeq(["workers", "list"])).stdout).toContain(workerId);
    await sdk.workers.leave(workerId);
  });

  it("tails live events until --count, and checks health", async () => {
    const queue = uniqueQueue("cli-tail");
    const tail = spawn(process.execPath, [BIN, "tail", "-q", queue, "-t", "job.completed", "--count", "1", "--json"], { env: { ...BASE_ENV, EDGEQ_URL: url, EDGEQ_KEY: adminKey } });
    let stdout = "";
    tail.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((resolve) => tail.stderr.on("data", (d: Buffer) => d.toString().includes("listening") && resolve()));
    const job = await sdk.submit({ queue, type: "echo" });
    const code = await new Promise<number | null>((resolve) => tail.on("exit", resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ type: "job.completed", queue, jobId: job.id });
    expect(await edgeq(["tail", "-t", "job.exploded"])).toMatchObject({ code: 2 });
    expect(await edgeq(["health"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^status +ok$/m) });
  });
  it("submits a batch from an NDJSON file and reports its progress", async () => {
    const queue = uniqueQueue("clibatch");
    const file = join(mkdtempSync(join(tmpdir(), "edgeq-cli-batch-")), "jobs.ndjson");
    writeFileSync(file, `${JSON.stringify({ type: "echo", payload: 1 })}\n${JSON.stringify({ type: "echo", payload: 2 })}\n`);
    const batch = await json(["batches", "submit", "cli batch", "--file", file, "--queue", queue]);
    expect(batch).toMatchObject({ name: "cli batch", total: 2 });
    await Promise.all(batch.jobs.map((j: { id: string }) => sdk.waitFor(j.id, { timeoutMs: 30_000 })));
    expect(await json(["batches", "get", batch.id])).toMatchObject({ completed: true, counts: { completed: 2 } });
    const human = await edgeq(["batches", "get", batch.id]);
    expect(human.stdout).toMatch(/progress\s+100%/);
    expect(await edgeq(["batches", "get", "not-a-uuid"])).toMatchObject({ code: 2 });
  });
});
