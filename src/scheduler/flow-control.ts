import type { Env } from "../env";
import { slotsFor } from "../flow/concurrency-slots";
import { keyPolicies } from "../flow/key-policies";
import { chooseLimiter } from "../ratelimit/choose-limiter";
import { log } from "../log";
import type { LeasedEntry, SlotRelease } from "./types";

/** When a limiter cannot be asked, the jobs wait this long and ask again (they never run unchecked). */
const UNREACHABLE_RETRY_MS = 1000;
/** A blocked job retries by itself after this long if no slot's deadline comes sooner. */
const BLOCKED_FALLBACK_MS = 60_000;

/** Leases flow control refused, to wait until `dueAt` or until a slot of `blockedKey` is freed. */
export interface Deferral {
  entries: LeasedEntry[];
  dueAt: number;
  blockedKey: string | null;
}

export interface Admission {
  granted: LeasedEntry[];
  deferred: Deferral[];
  /** Slots taken for leases that were then refused by a rate key: to give back. */
  released: SlotRelease[];
}

/**
 * Checks fresh leases against their concurrency keys (a slot each, from the key's ConcurrencySlots
 * object) and then their shared rate-limit keys (the limiter chooseLimiter picks). Slots go
 * first: a refused slot costs nothing, while a rate unit spent on a job that then waits for a
 * slot would be lost. Leases with neither key pass without a call.
 */
export async function admit(env: Env, queue: string, leased: LeasedEntry[], now: number): Promise<Admission> {
  if (!leased.some((e) => e.concKey !== null || e.rateKey !== null)) return { granted: leased, deferred: [], released: [] };
  const deferred: Deferral[] = [];
  const refused = new Set<string>();
  const slots = new Map<string, SlotRelease>();
  const refuse = (entries: LeasedEntry[], dueAt: number, blockedKey: string | null) => {
    if (entries.length === 0) return;
    deferred.push({ entries, dueAt, blockedKey });
    for (const e of entries) refused.add(e.id);
  };

  const byConcKey = Map.groupBy(leased.filter((e) => e.concKey !== null), (e) => e.concKey!);
  await Promise.all(
    [...byConcKey].map(async ([key, entries]) => {
      try {
        const limit = Math.min(...entries.map((e) => e.concLimit ?? 1));
        const { granted, retryAt } = await slotsFor(env, key).acquire(queue, limit, entries.map(({ id, lease, deadline }) => ({ id, lease, deadline })), now);
        const got = new Set(granted);
        for (const e of entries) if (got.has(e.id)) slots.set(e.id, { key, id: e.id, lease: e.lease });
        refuse(entries.filter((e) => !got.has(e.id)), Math.min(retryAt ?? Infinity, now + BLOCKED_FALLBACK_MS), key);
      } catch (error) {
        log("error", "the concurrency key could not be asked; its jobs wait", { queue, key }, error);
        refuse(entries, now + UNREACHABLE_RETRY_MS, null);
      }
    }),
  );

  const byRateKey = Map.groupBy(leased.filter((e) => e.rateKey !== null && !refused.has(e.id)), (e) => e.rateKey!);
  if (byRateKey.size > 0) {
    const limiter = chooseLimiter(env, "key");
    const policies = await keyPolicies(env, [...byRateKey.keys()]).catch((error: unknown) => {
      log("error", "rate-limit keys could not be read; their jobs wait", { queue }, error);
      return null;
    });
    await Promise.all(
      [...byRateKey].map(async ([key, entries]) => {
        if (policies === null) return refuse(entries, now + UNREACHABLE_RETRY_MS, null);
        const policy = policies.get(key);
        if (!policy) return;
        try {
          const { granted, reset } = await limiter.take(key, { limit: policy.limit, windowMs: policy.periodMs }, entries.length, now);
          refuse(entries.slice(granted), Math.max(reset, now + 1), null);
        } catch (error) {
          log("error", "the rate limiter could not be asked; its jobs wait", { queue, key }, error);
          refuse(entries, now + UNREACHABLE_RETRY_MS, null);
        }
      }),
    );
  }

  return {
    granted: leased.filter((e) => !refused.has(e.id)),
    deferred,
    released: [...slots.values()].filter((s) => refused.has(s.id)),
  };
}
