import { leaseDeadline, nextLeaseNumber } from "./lease-number";
import { DEFAULT_SCHEDULER_CONFIG, type EnqueueItem, type Lease, type LeaseReport, type SchedulerConfig } from "./types";

/** One statement per string: the DO SQL API runs a single statement per exec. */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS entries (
     id TEXT PRIMARY KEY,
     state TEXT NOT NULL CHECK (state IN ('ready', 'delayed', 'leased')),
     priority INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     due_at INTEGER NOT NULL,
     timeout_ms INTEGER NOT NULL,
     lease INTEGER,
     deadline INTEGER
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS entries_ready ON entries (priority DESC, due_at, seq) WHERE state = 'ready'`,
  `CREATE INDEX IF NOT EXISTS entries_delayed ON entries (due_at) WHERE state = 'delayed'`,
  `CREATE INDEX IF NOT EXISTS entries_leased ON entries (deadline) WHERE state = 'leased'`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Ready jobs per priority, kept by triggers, so a queue position costs 11 rows, not a backlog scan.
  `CREATE TABLE IF NOT EXISTS ready_counts (priority INTEGER PRIMARY KEY, n INTEGER NOT NULL)`,
  `INSERT OR IGNORE INTO ready_counts (priority, n) VALUES (0,0),(1,0),(2,0),(3,0),(4,0),(5,0),(6,0),(7,0),(8,0),(9,0),(10,0)`,
  `CREATE TRIGGER IF NOT EXISTS entries_count_insert AFTER INSERT ON entries WHEN NEW.state = 'ready'
   BEGIN UPDATE ready_counts SET n = n + 1 WHERE priority = NEW.priority; END`,
  `CREATE TRIGGER IF NOT EXISTS entries_count_delete AFTER DELETE ON entries WHEN OLD.state = 'ready'
   BEGIN UPDATE ready_counts SET n = n - 1 WHERE priority = OLD.priority; END`,
  `CREATE TRIGGER IF NOT EXISTS entries_count_update AFTER UPDATE OF state ON entries WHEN (OLD.state = 'ready') <> (NEW.state = 'ready')
   BEGIN UPDATE ready_counts SET n = n + (CASE WHEN NEW.state = 'ready' THEN 1 ELSE -1 END) WHERE priority = NEW.priority; END`,
];

/**
 * The queue's index in the Durable Object's SQLite: ready jobs by priority then due time, delayed
 * jobs by due time, leased jobs by deadline. Every method is synchronous; the Durable Object wraps
 * each transition in one transactionSync.
 */
export class SchedulerStore {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  private meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  private nextCounter(key: string, compute: (last: number) => number): number {
    const next = compute(Number(this.meta(key) ?? 0));
    this.setMeta(key, String(next));
    return next;
  }

  queueName(): string | null {
    return this.meta("queue");
  }

  setQueueName(name: string): void {
    if (this.meta("queue") !== name) this.setMeta("queue", name);
  }

  config(): SchedulerConfig {
    const raw = this.meta("config");
    return raw ? (JSON.parse(raw) as SchedulerConfig) : DEFAULT_SCHEDULER_CONFIG;
  }

  /** Takes a config unless an equal or newer version is already held. */
  applyConfig(config: SchedulerConfig): boolean {
    const current = this.meta("config");
    if (current && (JSON.parse(current) as SchedulerConfig).version >= config.version) return false;
    this.setMeta("config", JSON.stringify(config));
    return true;
  }

  /**
   * Adds jobs not already held (enqueue is idempotent). Returns, per item, whether it was added and
   * its 1-based place among ready jobs when it was added ready (else null).
   */
  add(items: EnqueueItem[], now: number): { added: boolean; position: number | null }[] {
    return items.map((item) => {
      const ready = item.runAt <= now;
      const seq = this.nextCounter("seq", (last) => last + 1);
      const inserted = this.sql.exec(
        "INSERT OR IGNORE INTO entries (id, state, priority, seq, due_at, timeout_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        item.id,
        ready ? "ready" : "delayed",
        item.priority,
        seq,
        item.runAt,
        item.timeoutMs,
      ).toArray().length;
      if (inserted === 0 || !ready) return { added: inserted > 0, position: null };
      const ahead = this.sql.exec<{ n: number }>("SELECT coalesce(sum(n), 0) AS n FROM ready_counts WHERE priority >= ?", item.priority).one();
      return { added: true, position: ahead.n };
    });
  }

  /** Holds a job as leased under a lease it already has (rebuilding from Postgres). */
  addLeased(item: EnqueueItem, lease: number, deadline: number): boolean {
    const seq = this.nextCounter("seq", (last) => last + 1);
    this.nextCounter("lease", (last) => Math.max(last, lease));
    return (
      this.sql.exec(
        "INSERT OR IGNORE INTO entries (id, state, priority, seq, due_at, timeout_ms, lease, deadline) VALUES (?, 'leased', ?, ?, ?, ?, ?, ?) RETURNING id",
        item.id,
        item.priority,
        seq,
        item.runAt,
        item.timeoutMs,
        lease,
        deadline,
      ).toArray().length > 0
    );
  }

  /** Delayed jobs whose time has come become ready. */
  promoteDue(now: number): number {
    return this.sql.exec("UPDATE entries SET state = 'ready' WHERE state = 'delayed' AND due_at <= ? RETURNING id", now).toArray().length;
  }

  /** Leases past their deadline are presumed lost: the job is ready again (and a newer lease will win). */
  expireLeases(now: number): number {
    return this.sql.exec("UPDATE entries SET state = 'ready', lease = NULL, deadline = NULL WHERE state = 'leased' AND deadline <= ? RETURNING id", now)
      .toArray().length;
  }

  countLeased(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM entries WHERE state = 'leased'").one().n;
  }

  /** Leases up to `limit` ready jobs, highest priority first, then earliest due, then first in. */
  leaseReady(now: number, limit: number, visibilityTimeoutMs: number): Lease[] {
    if (limit <= 0) return [];
    const picked = this.sql
      .exec<{ id: string; timeout_ms: number }>(
        "SELECT id, timeout_ms FROM entries WHERE state = 'ready' ORDER BY priority DESC, due_at, seq LIMIT ?",
        limit,
      )
      .toArray();
    return picked.map(({ id, timeout_ms }) => {
      const lease = this.nextCounter("lease", (last) => nextLeaseNumber(last, Date.now()));
      const deadline = leaseDeadline(now, timeout_ms, visibilityTimeoutMs);
      this.sql.exec("UPDATE entries SET state = 'leased', lease = ?, deadline = ? WHERE id = ?", lease, deadline, id);
      return { id, lease, deadline };
    });
  }

  /** Undoes leases whose messages could not be sent, so the jobs go out again. */
  unlease(leases: Lease[]): void {
    for (const { id, lease } of leases) {
      this.sql.exec("UPDATE entries SET state = 'ready', lease = NULL, deadline = NULL WHERE id = ? AND lease = ?", id, lease);
    }
  }

  /**
   * Applies consumers' reports. A report about a lease that is not the entry's current one is
   * ignored: a newer lease owns the job now and its consumer will report in turn.
   */
  settle(reports: LeaseReport[]): void {
    for (const report of reports) {
      const entry = this.sql.exec<{ state: string; lease: number | null }>("SELECT state, lease FROM entries WHERE id = ?", report.id).toArray()[0];
      if (entry && entry.state === "leased" && entry.lease !== report.lease) continue;
      if (report.kind === "drop") {
        this.sql.exec("DELETE FROM entries WHERE id = ?", report.id);
      } else if (entry) {
        this.sql.exec("UPDATE entries SET state = 'delayed', due_at = ?, lease = NULL, deadline = NULL WHERE id = ?", report.runAt, report.id);
      } else {
        this.add([report], Number.NEGATIVE_INFINITY);
      }
    }
  }

  remove(ids: string[]): number {
    let removed = 0;
    for (const id of ids) removed += this.sql.exec("DELETE FROM entries WHERE id = ? RETURNING id", id).toArray().length;
    return removed;
  }

  /** The earliest moment something changes by itself: a delayed job falls due or a lease expires. */
  nextWakeAt(): number | null {
    const row = this.sql
      .exec<{ t: number | null }>(
        "SELECT min(t) AS t FROM (SELECT min(due_at) AS t FROM entries WHERE state = 'delayed' UNION ALL SELECT min(deadline) FROM entries WHERE state = 'leased')",
      )
      .one();
    return row.t;
  }

  counts(): { ready: number; delayed: number; leased: number } {
    const counts = { ready: 0, delayed: 0, leased: 0 };
    for (const row of this.sql.exec<{ state: keyof typeof counts; n: number }>("SELECT state, count(*) AS n FROM entries GROUP BY state")) {
      counts[row.state] = row.n;
    }
    return counts;
  }

  /** Entries due before `cutoff`, whatever their state: what the reconciler compares with Postgres. */
  countDueBefore(cutoff: number): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM entries WHERE due_at < ?", cutoff).one().n;
  }

  leases(): Lease[] {
    return this.sql.exec<{ id: string; lease: number; deadline: number }>("SELECT id, lease, deadline FROM entries WHERE state = 'leased' ORDER BY lease").toArray();
  }

  /** Held ids in id order after `afterId`, for checking them against Postgres page by page. */
  idsAfter(afterId: string, limit: number): string[] {
    return this.sql.exec<{ id: string }>("SELECT id FROM entries WHERE id > ? ORDER BY id LIMIT ?", afterId, limit).toArray().map((r) => r.id);
  }
}
