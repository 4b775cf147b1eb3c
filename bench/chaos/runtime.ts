import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `wrangler dev --local` (and the workerd it starts) in a process group of its own, so it can be killed whole. */
export class Runtime {
  private child: ChildProcess | undefined;

  constructor(private readonly options: { port: number; databaseUrl: string; wsProxy: string; adminKey: string; stateDir: string }) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    const wrangler = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
    const o = this.options;
    this.child = spawn(
      process.execPath,
      [wrangler, "dev", "--local", "--ip", "127.0.0.1", "--port", String(o.port), "--show-interactive-dev-session=false", "--persist-to", o.stateDir,
        "--var", `DATABASE_URL:${o.databaseUrl}`, "--var", `PG_WS_PROXY:${o.wsProxy}`, "--var", `EDGEQ_ADMIN_KEY:${o.adminKey}`],
      { cwd: ROOT, detached: true, stdio: "ignore", env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } },
    );
    for (let i = 0; i < 240; i++) {
      if (await fetch(`${this.url}/health`).then((r) => r.status < 500, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error("the runtime did not start within 60 s");
  }

  /** SIGKILL to wrangler and its workerd: nothing gets to finish or clean up. */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
    this.child = undefined;
  }
}
