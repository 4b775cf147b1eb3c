import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS slots (id TEXT PRIMARY KEY, lease INTEGER NOT NULL, deadline INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS slots_deadline ON slots (deadline)`,
  `CREATE TABLE IF NOT EXISTS waiters (queue TEXT PRIMARY KEY) WITHOUT ROWID`,
];

/** A lease asking for a slot: the job, its lease number and the lease's deadline (epoch ms). */
export interface SlotRequest {
  id: string;
  lease: number;
  deadline: number;
}

/**
 * One per concurrency key: the running jobs of that key, across every queue, as slots held by
 * job leases until their deadline. A slot is given back when its lease ends (completed, failed,
 * forgotten) or falls to its deadline (the runner was lost), so none can leak. Queues refused a
 * slot are remembered and named to whoever frees one, so their blocked jobs try again at once.
 */
export class ConcurrencySlots extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  /**
   * Grants slots in request order while fewer than `limit` are held; a job that already holds one
   * (leased again) keeps it under its new lease. `retryAt` is the earliest deadline among held
   * slots, when something was refused: a fallback should no slot be given back in time.
   */
  async acquire(queue: string, limit: number, requests: SlotRequest[], now: number): Promise<{ granted: string[]; retryAt: number | null }> {
    return this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM slots WHERE deadline <= ?", now);
      let held = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM slots").one().n;
      const granted: string[] = [];
      for (const r of requests) {
        const mine = this.sql.exec("UPDATE slots SET lease = ?, deadline = ? WHERE id = ? RETURNING id", r.lease, r.deadline, r.id).toArray().length > 0;
        if (!mine && held >= limit) continue;
        if (!mine) {
          this.sql.exec("INSERT INTO slots (id, lease, deadline) VALUES (?, ?, ?)", r.id, r.lease, r.deadline);
          held++;
        }
        granted.push(r.id);
      }
      if (granted.length === requests.length) return { granted, retryAt: null };
      this.sql.exec("INSERT OR IGNORE INTO waiters (queue) VALUES (?)", queue);
      return { granted, retryAt: this.sql.exec<{ t: number | null }>("SELECT min(deadline) AS t FROM slots").one().t };
    });
  }

  /** Gives back the slots of these leases (a newer lease's slot stays); returns the queues to wake. */
  async release(leases: { id: string; lease: number }[], now: number): Promise<{ wake: string[] }> {
    return this.ctx.storage.transactionSync(() => {
      let freed = this.sql.exec("DELETE FROM slots WHERE deadline <= ? RETURNING id", now).toArray().length;
      for (const { id, lease } of leases) freed += this.sql.exec("DELETE FROM slots WHERE id = ? AND lease = ? RETURNING id", id, lease).toArray().length;
      if (freed === 0) return { wake: [] };
      const wake = this.sql.exec<{ queue: string }>("DELETE FROM waiters RETURNING queue").toArray().map((r) => r.queue);
      return { wake };
    });
  }

  /** The slots held now, for tests and the queue view. */
  async held(now: number = Date.now()): Promise<SlotRequest[]> {
    return this.sql.exec<{ id: string; lease: number; deadline: number }>("SELECT id, lease, deadline FROM slots WHERE deadline > ? ORDER BY lease", now).toArray();
  }
}

/** The slots object of a concurrency key. */
export function slotsFor(env: Pick<Env, "CONCURRENCY_SLOTS">, key: string) {
  return env.CONCURRENCY_SLOTS.getByName(key);
}
