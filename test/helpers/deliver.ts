import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { JobMessage } from "../../src/consumer/job-message";
import worker from "../../src/index";
import type { Lease } from "../../src/scheduler/types";

export const JOBS_QUEUE = "edgeq-jobs";

export function scheduler(queue: string) {
  return env.QUEUE_SCHEDULER.getByName(queue);
}

/**
 * Runs the Worker's queue() handler on a batch of these messages and returns its acks, once every
 * `waitUntil` of the invocation has settled. `bindings` wraps the env (e.g. a fake `AI`).
 */
export async function runBatch(messages: JobMessage[], bindings: Partial<Cloudflare.Env> = {}) {
  const batch = createMessageBatch<JobMessage>(
    JOBS_QUEUE,
    messages.map((body, i) => ({ id: `msg-${body.id}-${body.l}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, { ...env, ...bindings }, ctx);
  return getQueueResult(batch, ctx);
}

const delivered = new Set<string>();

/** The messages the scheduler sent for its current leases that no test delivered yet. */
export async function pendingMessages(queue: string): Promise<JobMessage[]> {
  const leases: Lease[] = await scheduler(queue).leases();
  return leases.filter((l) => !delivered.has(`${l.id}:${l.lease}`)).map((l) => ({ q: queue, id: l.id, l: l.lease }));
}

/**
 * Delivers what the scheduler has leased and not yet delivered, as Cloudflare Queues would, in one
 * batch through the queue handler. Returns the messages delivered.
 */
export async function deliver(queue: string, bindings: Partial<Cloudflare.Env> = {}): Promise<JobMessage[]> {
  const messages = await pendingMessages(queue);
  if (messages.length === 0) return [];
  for (const m of messages) delivered.add(`${m.id}:${m.l}`);
  const result = await runBatch(messages, bindings);
  if (!result.ackAll) throw new Error(`queue handler did not ack the batch: ${JSON.stringify(result)}`);
  return messages;
}

/** Delivers batch after batch until the scheduler leases nothing new (bounded, never sleeps). */
export async function drain(queue: string, maxBatches = 50): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const sent = await deliver(queue);
    if (sent.length === 0) return total;
    total += sent.length;
  }
  throw new Error(`queue ${queue} still had deliveries after ${maxBatches} batches`);
}
