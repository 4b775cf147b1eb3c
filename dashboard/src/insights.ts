import type { Insight } from "./types";

export interface FailureGroup {
  fingerprint: string;
  occurrences: number;
  latest: Insight;
}

/** Insights by fingerprint, most frequent first: how often each failure happened, with the newest verdict on it. */
export function groupInsights(insights: readonly Insight[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const i of insights) {
    const g = groups.get(i.fingerprint);
    if (!g) groups.set(i.fingerprint, { fingerprint: i.fingerprint, occurrences: i.occurrences, latest: i });
    else {
      g.occurrences += i.occurrences;
      if (i.last_seen_at > g.latest.last_seen_at) g.latest = i;
    }
  }
  return [...groups.values()].sort((a, b) => b.occurrences - a.occurrences);
}
