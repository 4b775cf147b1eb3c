import { openDb } from "../db/client";
import type { Env } from "../env";
import { registry } from "../handlers/registry";
import { deliveriesIn, queueMessageSchema, type JobMessage } from "./job-message";
import { processBatch } from "./process-batch";
import { log } from "../log";

/** Names this isolate in attempt rows, so an attempt's runner can be told apart (random values cannot be made at global scope). */
let runner: string | undefined;
/** When Postgres is unreachable, let the queue deliver the batch again after this long. */
const RETRY_DELAY_SECONDS = 5;

/** The Worker's queue() entry point for the jobs queue. */
export async function handleJobBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const messages: JobMessage[] = [];
  for (const message of batch.messages) {
    const parsed = queueMessageSchema.safeParse(message.body);
    if (parsed.success) messages.push(...deliveriesIn(parsed.data));
    else log("error", "dropping a malformed message", { messageId: message.id, issues: parsed.error.issues });
  }
  const { db, close } = openDb(env);
  // Deferred work (webhooks) may still use the pool: it is closed once that has settled.
  const deferred: Promise<void>[] = [];
  try {
    runner ??= `worker:${crypto.randomUUID().slice(0, 8)}`;
    await processBatch(env, db, messages, registry, runner, (work) => deferred.push(work));
    batch.ackAll();
  } catch (error) {
    log("error", "batch failed before its outcomes were written; it will be delivered again", { messages: messages.length }, error);
    batch.retryAll({ delaySeconds: RETRY_DELAY_SECONDS });
  } finally {
    ctx.waitUntil(Promise.allSettled(deferred).then(() => close().catch(() => undefined)));
  }
}
