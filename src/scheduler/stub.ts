import type { Env } from "../env";

/** The scheduler Durable Object of a queue (one per queue, addressed by its name). */
export function schedulerFor(env: Pick<Env, "QUEUE_SCHEDULER">, queue: string) {
  return env.QUEUE_SCHEDULER.getByName(queue);
}
