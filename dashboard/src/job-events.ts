import { formatMs, formatTime } from "./format";
import type { JobEvent } from "./types";

/** One audit event in words: what happened, by whom, and what came with it. */
export function describeEvent(e: JobEvent): string {
  const what = e.kind.replaceAll("_", " ");
  const d = e.data ?? {};
  const detail =
    e.kind === "submitted" ? `as ${String(d.state)}${d.replacedPending ? ", replacing its key's pending job" : ""}`
    : e.kind === "failed" ? `${String(d.outcome)}: ${String(d.error ?? "")}`
    : e.kind === "retried" || e.kind === "scheduled" ? `for ${formatTime(d.runAt as string)}`
    : e.kind === "cancelled" && d.reason ? String(d.reason)
    : e.kind === "completed" ? `in ${formatMs(d.durationMs as number)}`
    : e.kind === "progress" ? JSON.stringify(d.progress)
    : e.kind === "redriven" ? `from ${String(d.from)}`
    : "";
  return `${what}${e.attempt > 0 ? ` (attempt ${e.attempt})` : ""} by ${e.actor}${detail ? ` — ${detail}` : ""}`;
}
