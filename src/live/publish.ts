import type { Env } from "../env";
import type { LiveEvent } from "./events";
import { log } from "../log";

/** The one hub of a deployment. */
export const liveHub = (env: Env) => env.LIVE_HUB.getByName("global");

/** Publishes events; live updates are best effort, so a failure is logged and never fails the caller. */
export async function publish(env: Env, events: LiveEvent[]): Promise<void> {
  if (events.length === 0) return;
  await liveHub(env)
    .publish(events)
    .catch((error: unknown) => log("error", "publishing live events failed", { events: events.length }, error));
}
