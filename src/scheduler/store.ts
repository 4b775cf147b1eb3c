import { leaseDeadline, nextLeaseNumber } from "./lease-number";
import type { Dispatches } from "../core/rate-window";
import { DEFAULT_SCHEDULER_CONFIG, type EnqueueItem, type Lease, type LeasedEntry, type LeaseReport, type SchedulerConfig, type SlotRelease } from "./types";

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
 * Changes since the first schema, applied once each (the `schema` meta counts them), so an object
 * made by an older version gains them: flow-control keys per entry, the key an entry is blocked
 * on (a concurrency key with no free slot), and the log of dispatches for the queue's rate limit.
 */
const MIGRATIONS: string[][] = [
  [
    "ALTER TABLE entries ADD COLUMN rate_key TEXT",
    "ALTER TABLE entries ADD COLUMN conc_key TEXT",
    "ALTER TABLE entries ADD COLUMN conc_limit INTEGER",
    "ALTER TABLE entries ADD COLUMN blocked_key TEXT",
    "CREATE INDEX IF NOT EXISTS entries_blocked ON entries (blocked_key) WHERE blocked_key IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS rate_log (at INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
  ],
];

/** Reads a JSON array element in SQL: the batch statements bind one JSON array of rows. */
const at = (i: number) => `json_extract(value, '$[${i}]')`;

/**
 * The queue's index in the Durable Object's SQLite: ready jobs by priority then due time, delayed
 * jobs by due time, leased jobs by deadline. Batch-shaped: adding or leasing many jobs is one
 * statement (rows bound as one JSON array), because per-job statements were most of the Worker's
 * CPU in the first profile. Small metadata (counters, config) is cached in memory and written
 * through; a failed transaction drops the cache so it is read again.
 */
export class SchedulerStore {
  private readonly sql: SqlStorage;
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
    for (let applied = Number(this.meta("schema") ?? 0); applied < MIGRATIONS.length; applied++) {
      this.transact(() => {
        for (const statement of MIGRATIONS[applied]!) this.sql.exec(statement);
        this.setMeta("schema", String(applied + 1));
      });
    }
  }

  /** Runs one transition atomically. */
  transact<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(fn);
    } catch (error) {
      this.cache.clear();
      throw error;
    }
  }

  private meta(key: string): string | null {
    if (!this.cache.has(key)) {
      const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
      this.cache.set(key, row?.value ?? null);
    }
    return this.cache.get(key) ?? null;
  }

  private setMeta(key: string, value: string): void {
    if (this.meta(key) === value) return;
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
    this.cache.set(key, value);
  }

  private counter(key: "seq" | "lease"): number {
    return Number(this.meta(key) ?? 0);
  }

  queueName(): string | null {
    return this.meta("queue");
  }

  setQueueName(name: string): void {
    this.setMeta("queue", name);
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

  /** Ready jobs per priority (index = priority). */
  private readyCounts(): number[] {
    const counts = new Array<number>(11).fill(0);
    for (const row of this.sql.exec<{ priority: number; n: number }>("SELECT priority, n FROM ready_counts")) counts[row.priority] = row.n;
    return counts;
  }

  /**
   * Adds jobs not already held (enqueue is idempotent), in one statement. Returns, per item, whether
   * it was added and its 1-based place among ready jobs when it was added ready (else null).
   */
  add(items: EnqueueItem[], now: number): { added: boolean; position: number | null }[] {
    if (items.length === 0) return [];
    const counts = this.readyCounts();
    const seq = this.counter("seq");
    const rows = items.map((item, i) => [item.id, item.priority, seq + i + 1, item.runAt, item.timeoutMs, item.rateKey, item.concKey, item.concLimit]);
    const inserted = new Set(
      this.sql
        .exec<{ id: string }>(
          `INSERT OR IGNORE INTO entries (id, state, priority, seq, due_at, timeout_ms, rate_key, conc_key, conc_limit)
           SELECT ${at(0)}, CASE WHEN ${at(3)} <= ? THEN 'ready' ELSE 'delayed' END, ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${at(6)}, ${at(7)}
           FROM json_each(?) RETURNING id`,
          now,
          JSON.stringify(rows),
        )
        .toArray()
        .map((r) => r.id),
    );
    this.setMeta("seq", String(seq + items.length));
    return items.map((item) => {
      if (!inserted.delete(item.id)) return { added: false, position: null };
      if (item.runAt > now) return { added: true, position: null };
      counts[item.priority] = (counts[item.priority] ?? 0) + 1;
      return { added: true, position: counts.slice(item.priority).reduce((a, b) => a + b, 0) };
    });
  }

  /** Holds jobs as leased under leases they already have (rebuilding from Postgres); returns how many were new. */
  addLeased(items: (EnqueueItem & { lease: number; deadline: number })[]): number {
    if (items.length === 0) return 0;
    const seq = this.counter("seq");
    const rows = items.map((item, i) => [item.id, item.priority, seq + i + 1, item.runAt, item.timeoutMs, item.lease, item.deadline, item.rateKey, item.concKey, item.concLimit]);
    const added = this.sql
      .exec(
        `INSERT OR IGNORE INTO entries (id, state, priority, seq, due_at, timeout_ms, lease, deadline, rate_key, conc_key, conc_limit)
         SELECT ${at(0)}, 'leased', ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${at(6)}, ${at(7)}, ${at(8)}, ${at(9)} FROM json_each(?) RETURNING id`,
        JSON.stringify(rows),
      )
      .toArray().length;
    this.setMeta("seq", String(seq + items.length));
    this.setMeta("lease", String(Math.max(this.counter("lease"), ...items.map((i) => i.lease))));
    return added;
  }

  /**
   * Moves pending entries to a new due time (a debounced job pushed back), unless leased; adds the
   * ones not held. Returns how many it touched.
   */
  reschedule(items: EnqueueItem[], now: number): number {
    const missing: EnqueueItem[] = [];
    for (const item of items) {
      const moved = this.sql
        .exec(
          "UPDATE entries SET due_at = ?, state = CASE WHEN ? <= ? THEN 'ready' ELSE 'delayed' END, blocked_key = NULL WHERE id = ? AND state <> 'leased' RETURNING id",
          item.runAt,
          item.runAt,
          now,
          item.id,
        )
        .toArray().length;
      if (moved === 0) missing.push(item);
    }
    return items.length - missing.length + this.add(missing, now).filter((r) => r.added).length;
  }

  /** Delayed jobs whose time has come become ready (blocked ones try their key again). */
  promoteDue(now: number): number {
    return this.sql.exec("UPDATE entries SET state = 'ready', blocked_key = NULL WHERE state = 'delayed' AND due_at <= ? RETURNING id", now).toArray().length;
  }

  /** Leases flow control refused: back to wait until `dueAt`, or until `blockedKey` frees a slot. */
  defer(leases: Lease[], dueAt: number, blockedKey: string | null): void {
    for (const { id, lease } of leases) {
      this.sql.exec("UPDATE entries SET state = 'delayed', due_at = ?, blocked_key = ?, lease = NULL, deadline = NULL WHERE id = ? AND lease = ?", dueAt, blockedKey, id, lease);
    }
  }

  /** Entries blocked on a concurrency key become ready: a slot was freed. */
  unblock(key: string): number {
    return this.sql.exec("UPDATE entries SET state = 'ready', blocked_key = NULL WHERE state = 'delayed' AND blocked_key = ? RETURNING id", key).toArray().length;
  }

  /** The queue's dispatches after `since`, for its rate limit; older ones are forgotten. */
  dispatchesSince(since: number): Dispatches[] {
    this.sql.exec("DELETE FROM rate_log WHERE at <= ?", since);
    return this.sql.exec<{ at: number; n: number }>("SELECT at, n FROM rate_log").toArray();
  }

  /** Counts `n` dispatches at `at` (negative: takes back ones flow control then refused). */
  countDispatches(at: number, n: number): void {
    if (n !== 0) this.sql.exec("INSERT INTO rate_log (at, n) VALUES (?, ?) ON CONFLICT (at) DO UPDATE SET n = n + excluded.n", at, n);
  }

  /** Leases past their deadline are presumed lost: the job is ready again (and a newer lease will win). */
  expireLeases(now: number): number {
    return this.sql.exec("UPDATE entries SET state = 'ready', lease = NULL, deadline = NULL WHERE state = 'leased' AND deadline <= ? RETURNING id", now)
      .toArray().length;
  }

  countLeased(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM entries WHERE state = 'leased'").one().n;
  }

  /**
   * Leases up to `limit` ready jobs in one statement, highest priority first, then earliest due,
   * then first in; lease numbers follow that order. The inner LIMIT keeps the work to `limit` rows
   * of the ready index, however long the backlog. A lease lasts the job's timeout plus
   * `visibilityTimeoutMs`, or, for a pull worker (`withTimeout` false), `visibilityTimeoutMs` alone,
   * which its heartbeats extend.
   */
  leaseReady(now: number, limit: number, visibilityTimeoutMs: number, withTimeout = true): LeasedEntry[] {
    if (limit <= 0) return [];
    const base = nextLeaseNumber(this.counter("lease"), Date.now()) - 1;
    const leased = this.sql
      .exec<LeasedEntry & Record<string, SqlStorageValue>>(
        `UPDATE entries SET state = 'leased', lease = ? + picked.rn, deadline = ? + (CASE WHEN ? THEN entries.timeout_ms ELSE 0 END)
         FROM (SELECT id, row_number() OVER (ORDER BY priority DESC, due_at, seq) AS rn
               FROM (SELECT id, priority, due_at, seq FROM entries WHERE state = 'ready' ORDER BY priority DESC, due_at, seq LIMIT ?)) AS picked
         WHERE entries.id = picked.id
         RETURNING entries.id AS id, entries.lease AS lease, entries.deadline AS deadline,
                   entries.rate_key AS rateKey, entries.conc_key AS concKey, entries.conc_limit AS concLimit`,
        base,
        leaseDeadline(now, 0, visibilityTimeoutMs),
        withTimeout ? 1 : 0,
        limit,
      )
      .toArray();
    if (leased.length > 0) this.setMeta("lease", String(base + leased.length));
    return leased.sort((a, b) => a.lease - b.lease);
  }

  /** Moves the deadlines of current leases (a pull worker's heartbeat); returns the ids whose lease was current. */
  extend(leases: Lease[]): string[] {
    return leases.flatMap(({ id, lease, deadline }) =>
      this.sql.exec("UPDATE entries SET deadline = ? WHERE id = ? AND state = 'leased' AND lease = ? RETURNING id", deadline, id, lease).toArray().length > 0 ? [id] : [],
    );
  }

  /** Undoes leases whose messages could not be sent, so the jobs go out again. */
  unlease(leases: Lease[]): void {
    for (const { id, lease } of leases) {
      this.sql.exec("UPDATE entries SET state = 'ready', lease = NULL, deadline = NULL WHERE id = ? AND lease = ?", id, lease);
    }
  }

  /**
   * Applies consumers' reports. A report about a lease that is not the entry's current one is
   * ignored: a newer lease owns the job now and its consumer will report in turn. Returns the
   * concurrency slots the reported leases held, to give back.
   */
  settle(reports: LeaseReport[]): SlotRelease[] {
    const released: SlotRelease[] = [];
    const drops = reports.filter((r) => r.kind === "drop");
    if (drops.length > 0) {
      // One statement for the common case; both IN lists are uncorrelated, so each is built once.
      const gone = this.sql.exec<{ id: string; key: string | null; lease: number | null }>(
        `DELETE FROM entries WHERE id IN (SELECT value FROM json_each(?))
           AND (state <> 'leased' OR id || ':' || lease IN (SELECT value FROM json_each(?)))
         RETURNING id, conc_key AS key, lease`,
        JSON.stringify(drops.map((r) => r.id)),
        JSON.stringify(drops.map((r) => `${r.id}:${r.lease}`)),
      );
      for (const { id, key, lease } of gone) if (key !== null && lease !== null) released.push({ key, id, lease });
    }
    for (const report of reports) {
      if (report.kind !== "retry") continue;
      const moved = this.sql
        .exec<{ key: string | null }>(
          "UPDATE entries SET state = 'delayed', due_at = ?, lease = NULL, deadline = NULL, blocked_key = NULL WHERE id = ? AND (state <> 'leased' OR lease = ?) RETURNING conc_key AS key",
          report.runAt,
          report.id,
          report.lease,
        )
        .toArray();
      if (moved[0]?.key) released.push({ key: moved[0].key, id: report.id, lease: report.lease });
      // Not held at all (lost with the scheduler's storage): hold it until its retry is due.
      if (moved.length === 0 && this.sql.exec("SELECT 1 FROM entries WHERE id = ?", report.id).toArray().length === 0) {
        const { kind: _kind, lease: _lease, ...item } = report;
        this.add([item], Number.MIN_SAFE_INTEGER);
      }
    }
    return released;
  }

  /** Forgets entries; returns how many were held and the concurrency slots leased ones held. */
  remove(ids: string[]): { removed: number; released: SlotRelease[] } {
    if (ids.length === 0) return { removed: 0, released: [] };
    const gone = this.sql
      .exec<{ id: string; key: string | null; lease: number | null }>(
        "DELETE FROM entries WHERE id IN (SELECT value FROM json_each(?)) RETURNING id, conc_key AS key, lease",
        JSON.stringify(ids),
      )
      .toArray();
    return { removed: gone.length, released: gone.flatMap(({ id, key, lease }) => (key !== null && lease !== null ? [{ key, id, lease }] : [])) };
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

  /** Counts from the trigger-kept ready counts and the partial indexes: no scan of the backlog. */
  counts(): { ready: number; delayed: number; leased: number } {
    // Literal states, so SQLite can use the partial indexes (a bound parameter cannot match them).
    const delayed = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM entries WHERE state = 'delayed'").one().n;
    return { ready: this.readyCounts().reduce((a, b) => a + b, 0), delayed, leased: this.countLeased() };
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
