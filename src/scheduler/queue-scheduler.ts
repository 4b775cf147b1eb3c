import { throttle } from "../core/throttle";
import { DurableObject } from "cloudflare:workers";
import { withDb } from "../db/client";
import { activeJobsPage, inactiveIds } from "../db/queries/active-jobs";
import type { Env } from "../env";
import type { QueueMessage } from "../consumer/job-message";
import { MESSAGES_PER_SEND, packLeases } from "../core/pack-leases";
import { backlogEvent } from "../live/events";
import { publish } from "../live/publish";
import { rateAllowance } from "../core/rate-window";
import { slotsFor } from "../flow/concurrency-slots";
import { enqueueItem } from "./enqueue-item";
import { admit } from "./flow-control";
import { SchedulerStore } from "./store";
import { schedulerFor } from "./stub";
import type { EnqueueItem, Lease, LeasedEntry, LeaseReport, SchedulerConfig, SchedulerStats, SlotRelease, TickResult } from "./types";
import { log } from "../log";

/** After a failed send, try again this soon. */
const SEND_RETRY_MS = 1000;
const REBUILD_PAGE = 2000;
/** Backlog events go out at most this often per queue; the dashboard wants them within half a second. */
const BACKLOG_EVERY_MS = 250;
/** Lease rounds per pump: after flow control refuses some leases, the capacity they left goes to others. */
const ADMIT_ROUNDS = 5;

/**
 * One per queue, addressed by queue name: the index and traffic light of DESIGN.md. It holds which
 * jobs are ready (by priority, FIFO within one), which are due when, which are leased until when,
 * and the queue's flow control; it leases within concurrency and sends leased ids to the jobs
 * queue. Postgres stays the truth: everything here can be rebuilt from it.
 */
export class QueueScheduler extends DurableObject<Env> {
  private readonly store: SchedulerStore;
  /** The alarm time last set, so an unchanged alarm is not rewritten on every call. */
  private alarmAt: number | null | undefined;
  private backlogPublishedAt = 0;
  private backlogTrailer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SchedulerStore(ctx.storage);
  }

  /** Adds jobs (idempotently), applies a newer config if given, and dispatches what it can. */
  async enqueue(queue: string, items: EnqueueItem[], config?: SchedulerConfig): Promise<{ positions: (number | null)[] }> {
    const now = Date.now();
    const positions = this.store.transact(() => {
      this.store.setQueueName(queue);
      if (config) this.store.applyConfig(config);
      return this.store.add(items, now).map((r) => r.position);
    });
    await this.pump(now);
    return { positions };
  }

  /** Moves held jobs to a new due time (debounced jobs pushed back), adding any it lacks. */
  async reschedule(queue: string, items: EnqueueItem[]): Promise<void> {
    const now = Date.now();
    this.store.transact(() => {
      this.store.setQueueName(queue);
      this.store.reschedule(items, now);
    });
    await this.pump(now);
  }

  /** Takes consumers' outcomes for their leases, gives back their concurrency slots, then fills the freed capacity. */
  async report(queue: string, reports: LeaseReport[]): Promise<void> {
    const now = Date.now();
    const released = this.store.transact(() => {
      this.store.setQueueName(queue);
      return this.store.settle(reports);
    });
    await this.releaseSlots(released, now);
    await this.pump(now);
  }

  /** Forgets jobs (cancelled in Postgres); returns how many were held. */
  async remove(ids: string[]): Promise<number> {
    const now = Date.now();
    const { removed, released } = this.store.transact(() => this.store.remove(ids));
    await this.releaseSlots(released, now);
    await this.pump(now);
    return removed;
  }

  /** A slot of a concurrency key was freed elsewhere: jobs blocked on it try again. */
  async unblock(queue: string, key: string, now: number = Date.now()): Promise<void> {
    this.store.transact(() => {
      this.store.setQueueName(queue);
      this.store.unblock(key);
    });
    await this.pump(now);
  }

  /**
   * Leases up to `count` ready jobs to a pull worker for `visibilityMs`: the same order, concurrency,
   * pause, rate limit and flow control as jobs sent to the consumer, but handed back instead of sent.
   */
  async lease(queue: string, count: number, visibilityMs: number, config?: SchedulerConfig): Promise<Lease[]> {
    this.store.transact(() => {
      this.store.setQueueName(queue);
      if (config) this.store.applyConfig(config);
    });
    const pulled: Lease[] = [];
    await this.pump(Date.now(), { count, visibilityMs, pulled });
    return pulled;
  }

  /** A pull worker's heartbeat: moves its leases' deadlines; returns the ids whose lease was still current. */
  async extend(leases: Lease[]): Promise<string[]> {
    const extended = this.store.transact(() => this.store.extend(leases));
    await this.armAlarm(null);
    return extended;
  }

  async configure(queue: string, config: SchedulerConfig): Promise<void> {
    this.store.transact(() => {
      this.store.setQueueName(queue);
      this.store.applyConfig(config);
    });
    await this.pump(Date.now());
  }

  /**
   * Does what is due at `now`: delayed jobs fall due, expired leases free their jobs, ready jobs
   * are leased and sent. The alarm calls it with the clock; tests call it with a chosen time.
   */
  async tick(now: number = Date.now()): Promise<TickResult> {
    return this.pump(now);
  }

  override async alarm(): Promise<void> {
    this.alarmAt = undefined;
    await this.pump(Date.now());
  }

  async stats(): Promise<SchedulerStats> {
    const counts = this.store.counts();
    const config = this.store.config();
    let nextWakeAt = this.store.nextWakeAt();
    // Ready jobs held back by the queue's rate limit go when its window lets them.
    if (config.rateLimit && counts.ready > 0) {
      const now = Date.now();
      const { resetAt } = rateAllowance(this.store.dispatchesSince(now - config.rateLimit.periodMs), now, config.rateLimit);
      if (resetAt !== null) nextWakeAt = Math.min(nextWakeAt ?? resetAt, resetAt);
    }
    return { queue: this.store.queueName(), ...counts, config, nextWakeAt, storageBytes: this.ctx.storage.sql.databaseSize };
  }

  async countDueBefore(cutoff: number): Promise<number> {
    return this.store.countDueBefore(cutoff);
  }

  async leases(): Promise<Lease[]> {
    return this.store.leases();
  }

  /**
   * Brings the index in line with Postgres: adds every active job it lacks (running ones keep
   * their lease and deadline) and drops entries whose job is no longer active.
   */
  async rebuild(queue: string): Promise<{ added: number; removed: number }> {
    this.store.transact(() => this.store.setQueueName(queue));
    const now = Date.now();
    let added = 0;
    let removed = 0;
    await withDb(this.env, async (db) => {
      for (let after: string | null = null; ; ) {
        const page = await activeJobsPage(db, queue, after, REBUILD_PAGE);
        if (page.length === 0) break;
        added += this.store.transact(() => {
          const leased = [];
          const waiting = [];
          for (const job of page) {
            if (job.state === "running" && job.leaseSeq !== null) leased.push({ ...enqueueItem(job), lease: job.leaseSeq, deadline: job.leaseExpiresAt?.getTime() ?? now });
            else waiting.push(enqueueItem(job));
          }
          return this.store.addLeased(leased) + this.store.add(waiting, now).filter((r) => r.added).length;
        });
        after = page.at(-1)?.id ?? null;
      }
      for (let after = ""; ; ) {
        const ids = this.store.idsAfter(after, REBUILD_PAGE);
        if (ids.length === 0) break;
        const gone = await inactiveIds(db, ids);
        const dropped = this.store.transact(() => this.store.remove(gone));
        await this.releaseSlots(dropped.released, now);
        removed += dropped.removed;
        after = ids.at(-1) ?? after;
      }
    });
    await this.pump(now);
    return { added, removed };
  }

  /**
   * One transition: promote, expire, lease within concurrency and the queue's rate limit; then
   * flow control (concurrency and rate-limit keys) may send some leases back to wait; send the
   * rest and re-arm the alarm. A refused lease is not an attempt: Postgres never hears of it.
   * A pull queue's jobs are leased only for `pull` (a worker's lease request, at most `count`, for
   * `visibilityMs`) and handed back in `pulled` instead of being sent to the consumer.
   */
  private async pump(now: number, pull?: { count: number; visibilityMs: number; pulled: Lease[] }): Promise<TickResult> {
    let promoted = 0;
    let expired = 0;
    let dispatched = 0;
    let wakeAt: number | null = null;
    for (let round = 0; round < ADMIT_ROUNDS; round++) {
      const step = this.store.transact(() => {
        const config = this.store.config();
        if (round === 0) {
          promoted = this.store.promoteDue(now);
          expired = this.store.expireLeases(now);
        }
        const wanted = pull ? pull.count - pull.pulled.length : config.mode === "pull" ? 0 : Infinity;
        let capacity = config.paused ? 0 : Math.min(wanted, config.concurrency - this.store.countLeased());
        let resetAt: number | null = null;
        const limit = config.rateLimit;
        if (limit && capacity > 0) {
          const allowance = rateAllowance(this.store.dispatchesSince(now - limit.periodMs), now, limit);
          capacity = Math.min(capacity, allowance.allowed);
          resetAt = allowance.resetAt;
        }
        const leased = pull ? this.store.leaseReady(now, capacity, pull.visibilityMs, false) : this.store.leaseReady(now, capacity, config.visibilityTimeoutMs);
        // Counted now, so a pump that runs while this one awaits flow control sees them.
        if (limit) this.store.countDispatches(now, leased.length);
        return { leased, resetAt, limited: limit !== null, queue: this.store.queueName() };
      });
      if (step.resetAt !== null) wakeAt = Math.min(wakeAt ?? Infinity, step.resetAt);
      if (step.leased.length === 0) break;
      const { granted, deferred, released } = step.queue === null ? { granted: step.leased, deferred: [], released: [] } : await admit(this.env, step.queue, step.leased, now);
      if (deferred.length > 0) {
        this.store.transact(() => {
          for (const d of deferred) this.store.defer(d.entries, d.dueAt, d.blockedKey);
          if (step.limited) this.store.countDispatches(now, -deferred.reduce((n, d) => n + d.entries.length, 0));
        });
      }
      await this.releaseSlots(released, now);
      if (pull) pull.pulled.push(...granted.map(({ id, lease, deadline }) => ({ id, lease, deadline })));
      else if (!(await this.dispatch(step.queue, granted))) {
        wakeAt = Math.min(wakeAt ?? Infinity, now + SEND_RETRY_MS);
        break;
      }
      dispatched += granted.length;
      if (deferred.length === 0) break;
    }
    await this.armAlarm(wakeAt);
    await this.publishBacklog();
    return { promoted, expired, dispatched };
  }

  /**
   * Gives concurrency slots back to their keys; the queues the keys name as waiting are woken (this
   * one in place, others through their scheduler). A key that cannot be reached keeps the slot
   * until its lease deadline.
   */
  private async releaseSlots(released: SlotRelease[], now: number): Promise<void> {
    if (released.length === 0) return;
    const own = this.store.queueName();
    await Promise.all(
      [...Map.groupBy(released, (r) => r.key)].map(async ([key, leases]) => {
        try {
          const { wake } = await slotsFor(this.env, key).release(leases.map(({ id, lease }) => ({ id, lease })), now);
          if (wake.includes(own ?? "")) this.store.transact(() => this.store.unblock(key));
          await Promise.all(
            wake
              .filter((q) => q !== own)
              .map((q) =>
                schedulerFor(this.env, q)
                  .unblock(q, key, now)
                  .catch((error: unknown) => log("error", "waking a queue blocked on a concurrency key failed", { queue: q, key }, error)),
              ),
          );
        } catch (error) {
          log("error", "giving back concurrency slots failed; they free at their deadline", { key, slots: leases.length }, error);
        }
      }),
    );
  }

  /**
   * Tells dashboards the queue's backlog, at most every BACKLOG_EVERY_MS of wall-clock time; a
   * change inside that interval goes out at its end, so the last state always arrives.
   */
  private async publishBacklog(): Promise<void> {
    const at = Date.now();
    const decision = throttle(this.backlogPublishedAt, at, BACKLOG_EVERY_MS, this.backlogTrailer !== undefined);
    if (!decision.now) {
      if (decision.trailerInMs !== null) {
        this.backlogTrailer = setTimeout(() => {
          this.backlogTrailer = undefined;
          void this.publishBacklog();
        }, decision.trailerInMs);
      }
      return;
    }
    this.backlogPublishedAt = at;
    const event = backlogEvent(await this.stats(), at);
    if (event) await publish(this.env, [event]);
  }

  /**
   * Sends leased ids to the jobs queue, packed several to a message when there are many; on failure
   * the leases not sent are undone so the jobs go again.
   */
  private async dispatch(queue: string | null, leased: LeasedEntry[]): Promise<boolean> {
    if (leased.length === 0) return true;
    if (queue === null) throw new Error("scheduler has leases but no queue name");
    const messages = packLeases(leased);
    for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) {
      const chunk = messages.slice(i, i + MESSAGES_PER_SEND);
      try {
        await this.env.JOBS_QUEUE.sendBatch(chunk.map((jobs) => ({ body: toMessage(queue, jobs) })));
      } catch (error) {
        const unsent = messages.slice(i).flat();
        log("error", "sending leased jobs failed; they will be sent again", { queue, jobs: unsent.length }, error);
        this.store.transact(() => this.store.unlease(unsent));
        return false;
      }
    }
    return true;
  }

  /** Keeps one alarm at the earliest pending moment (or `soon`: a retry of sending, a rate window's reset). */
  private async armAlarm(soon: number | null): Promise<void> {
    const wake = this.store.nextWakeAt();
    const at = soon === null ? wake : Math.min(soon, wake ?? soon);
    if (at === this.alarmAt) return;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }
}

/** A single lease goes as a plain delivery, several as a packed message. */
function toMessage(queue: string, jobs: Lease[]): QueueMessage {
  return jobs.length === 1 ? { q: queue, id: jobs[0]!.id, l: jobs[0]!.lease } : { q: queue, j: jobs.map(({ id, lease }) => [id, lease]) };
}
