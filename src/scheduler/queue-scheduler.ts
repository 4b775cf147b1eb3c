import { DurableObject } from "cloudflare:workers";
import { withDb } from "../db/client";
import { activeJobsPage, inactiveIds } from "../db/queries/active-jobs";
import type { Env } from "../env";
import type { JobMessage } from "../consumer/job-message";
import { backlogEvent } from "../live/events";
import { publish } from "../live/publish";
import { enqueueItem } from "./enqueue-item";
import { SchedulerStore } from "./store";
import type { EnqueueItem, Lease, LeaseReport, SchedulerConfig, SchedulerStats, TickResult } from "./types";
import { log } from "../log";

/** Cloudflare Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** After a failed send, try again this soon. */
const SEND_RETRY_MS = 1000;
const REBUILD_PAGE = 2000;
/** Backlog events go out at most this often per queue; the dashboard wants them within half a second. */
const BACKLOG_EVERY_MS = 250;

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

  /** Takes consumers' outcomes for their leases, then fills the freed capacity. */
  async report(queue: string, reports: LeaseReport[]): Promise<void> {
    this.store.transact(() => {
      this.store.setQueueName(queue);
      this.store.settle(reports);
    });
    await this.pump(Date.now());
  }

  /** Forgets jobs (cancelled in Postgres); returns how many were held. */
  async remove(ids: string[]): Promise<number> {
    const removed = this.store.transact(() => this.store.remove(ids));
    await this.pump(Date.now());
    return removed;
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
    return { queue: this.store.queueName(), ...this.store.counts(), config: this.store.config(), nextWakeAt: this.store.nextWakeAt() };
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
        removed += this.store.transact(() => this.store.remove(gone));
        after = ids.at(-1) ?? after;
      }
    });
    await this.pump(now);
    return { added, removed };
  }

  /** One transition: promote, expire, lease within concurrency; then send and re-arm the alarm. */
  private async pump(now: number): Promise<TickResult> {
    const { promoted, expired, leased, queue } = this.store.transact(() => {
      const config = this.store.config();
      const promoted = this.store.promoteDue(now);
      const expired = this.store.expireLeases(now);
      const capacity = config.paused ? 0 : config.concurrency - this.store.countLeased();
      return { promoted, expired, leased: this.store.leaseReady(now, capacity, config.visibilityTimeoutMs), queue: this.store.queueName() };
    });
    const sent = await this.dispatch(queue, leased);
    await this.armAlarm(sent ? null : now + SEND_RETRY_MS);
    await this.publishBacklog();
    return { promoted, expired, dispatched: sent ? leased.length : 0 };
  }

  /**
   * Tells dashboards the queue's backlog, at most every BACKLOG_EVERY_MS of wall-clock time; a
   * change inside that interval goes out at its end, so the last state always arrives.
   */
  private async publishBacklog(): Promise<void> {
    const at = Date.now();
    const wait = this.backlogPublishedAt + BACKLOG_EVERY_MS - at;
    if (wait > 0) {
      this.backlogTrailer ??= setTimeout(() => {
        this.backlogTrailer = undefined;
        void this.publishBacklog();
      }, wait);
      return;
    }
    this.backlogPublishedAt = at;
    const event = backlogEvent(await this.stats(), at);
    if (event) await publish(this.env, [event]);
  }

  /** Sends leased ids to the jobs queue; on failure the leases are undone so the jobs go again. */
  private async dispatch(queue: string | null, leased: Lease[]): Promise<boolean> {
    if (leased.length === 0) return true;
    if (queue === null) throw new Error("scheduler has leases but no queue name");
    for (let i = 0; i < leased.length; i += SEND_BATCH) {
      const chunk = leased.slice(i, i + SEND_BATCH);
      try {
        await this.env.JOBS_QUEUE.sendBatch(chunk.map(({ id, lease }) => ({ body: { q: queue, id, l: lease } satisfies JobMessage })));
      } catch (error) {
        log("error", "sending leased jobs failed; they will be sent again", { queue, jobs: leased.length - i }, error);
        this.store.transact(() => this.store.unlease(leased.slice(i)));
        return false;
      }
    }
    return true;
  }

  /** Keeps one alarm at the earliest pending moment (or `soon`, when a retry of sending is due). */
  private async armAlarm(soon: number | null): Promise<void> {
    const wake = this.store.nextWakeAt();
    const at = soon === null ? wake : Math.min(soon, wake ?? soon);
    if (at === this.alarmAt) return;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }
}
