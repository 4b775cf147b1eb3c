import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PROFILES } from "../../scripts/simulate/workload";
import { adminKey, client, url } from "./helpers";

const ROOT = new URL("../..", import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

describe("npm run simulate", () => {
  it("sets up ten queues and submits its mixed workload of simulate jobs to the running stack", async () => {
    const prefix = `sim${Date.now().toString(36)}-`;
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, "scripts/simulate.ts", "--jobs", "300", "--rate", "400", "--prefix", prefix], {
      cwd: ROOT,
      env: { ...process.env, EDGEQ_URL: url, EDGEQ_API_KEY: adminKey },
    });
    expect(stdout).toMatch(/submitted 300 jobs/);

    const edgeq = client();
    const queues = (await edgeq.queues.list()).filter((q) => q.name.startsWith(prefix));
    expect(queues.map((q) => q.name).sort()).toEqual(PROFILES.map((p) => `${prefix}${p.queue}`).sort());
    const reports = queues.find((q) => q.name === `${prefix}reports`)!;
    expect(reports.concurrency).toBe(5);

    let jobs = 0;
    for (const q of queues) {
      for await (const page of edgeq.list({ queue: q.name, limit: 500 })) {
        for (const job of page.jobs) {
          expect(job.type).toBe("simulate");
          jobs++;
        }
      }
    }
    expect(jobs).toBe(300);
  });

  it("refuses a bad option with exit code 2", async () => {
    const run = promisify(execFile)(process.execPath, [tsx, "scripts/simulate.ts", "--rate", "fast"], { cwd: ROOT, env: { ...process.env, EDGEQ_URL: url, EDGEQ_API_KEY: adminKey } });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--rate must be a number/) });
  });
});
