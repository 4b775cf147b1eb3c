import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A PostgreSQL server of the chaos bench's own, in a temporary directory on its own port, so that
 * restarting it touches nobody else's (the machine's server serves other test runs). Debian's
 * binaries; as root, the server runs as the `postgres` user, as initdb demands.
 */
export interface OwnPostgres {
  url: string;
  restart(): void;
  stop(): void;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  if (!version || !existsSync(join(root, version, "bin", "pg_ctl"))) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql");
  return join(root, version, "bin");
}

export function startOwnPostgres(port: number): OwnPostgres {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "edgeq-chaos-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : join(bin, tool), asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args, { stdio: ["ignore", "ignore", "inherit"] });
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200`;
  run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", options, "-w", "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", options, "-m", "fast", "-w", "restart"]),
    stop: () => {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
