import { useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useState } from "react";
import { FAILURE_CATEGORIES, SUGGESTED_ACTIONS } from "../../../src/insights/verdict";
import { get, qs } from "../api";
import { DataTable } from "../components/DataTable";
import { JobDrawer } from "../components/JobDrawer";
import { QueueSelect, useFilters } from "../components/filters";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatShare, formatTime } from "../format";
import type { Anomaly, Insight, InsightPage } from "../types";

const words = (s: string) => s.replaceAll("_", " ");

const ic = createColumnHelper<Insight>();
const insightColumns = [
  ic.accessor("last_seen_at", { header: "Last seen", cell: (c) => formatTime(c.getValue()) }),
  ic.accessor("queue", { header: "Queue" }),
  ic.accessor("job_type", { header: "Type" }),
  ic.accessor("failure_category", { header: "Category", cell: (c) => <span className="tag">{words(c.getValue())}</span> }),
  ic.accessor("suggested_action", { header: "Suggested", cell: (c) => words(c.getValue()) }),
  ic.accessor("occurrences", { header: "Failures", cell: (c) => formatCount(c.getValue()) }),
  ic.accessor("confidence_score", { header: "Confidence", cell: (c) => formatShare(c.getValue()) }),
  ic.accessor("reasoning", { header: "Why", cell: (c) => <span className="reasoning">{c.getValue()}</span> }),
  ic.accessor("source", { header: "By", cell: (c) => (c.getValue() === "workers-ai" ? `Workers AI (${c.row.original.model})` : "built-in analyzer") }),
];

const ac = createColumnHelper<Anomaly>();
const anomalyColumns = [
  ac.accessor("detectedAt", { header: "Detected", cell: (c) => formatTime(c.getValue()) }),
  ac.accessor("queue", { header: "Queue" }),
  ac.accessor("metric", { header: "Metric", cell: (c) => words(c.getValue()) }),
  ac.accessor("zScore", { header: "z-score", cell: (c) => c.getValue().toFixed(1) }),
  ac.accessor("message", { header: "What happened" }),
];

/** Why jobs fail (the analyzer's insights, one per failure fingerprint) and what the cron tick found unusual. */
export default function Insights() {
  const [f, setFilters] = useFilters(["queue", "category", "action"] as const);
  const [opened, setOpened] = useState<string | null>(null);
  const insights = useQuery({
    queryKey: ["insights", f],
    queryFn: () => get<InsightPage>(`/api/v1/insights${qs({ queue: f.queue, category: f.category, action: f.action, limit: 100 })}`),
  });
  const anomalies = useQuery({ queryKey: ["anomalies", f.queue], queryFn: () => get<{ anomalies: Anomaly[] }>(`/api/v1/anomalies${qs({ queue: f.queue, limit: 50 })}`) });
  return (
    <>
      <h1>Insights</h1>
      <form className="filters" aria-label="Filter insights" onSubmit={(e) => e.preventDefault()}>
        <QueueSelect value={f.queue} onChange={(queue) => setFilters({ queue })} />
        <label>
          Category
          <select value={f.category} onChange={(e) => setFilters({ category: e.target.value })}>
            <option value="">Any category</option>
            {FAILURE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {words(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Suggested action
          <select value={f.action} onChange={(e) => setFilters({ action: e.target.value })}>
            <option value="">Any action</option>
            {SUGGESTED_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {words(a)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <section aria-labelledby="insights-title">
        <h2 id="insights-title">Why jobs failed</h2>
        <p className="muted">One insight per kind of failure (same message pattern, type and queue) within a window; open a row to see the first job that failed that way.</p>
        <Loaded query={insights}>
          {(page) =>
            page.insights.length === 0 ? (
              <Empty>No failures match. Insights appear as soon as an attempt fails.</Empty>
            ) : (
              <DataTable data={page.insights} columns={insightColumns} caption="Insights, newest first" rowId={(i) => i.id} onOpen={(i) => setOpened(i.job_id)} />
            )
          }
        </Loaded>
      </section>
      <section aria-labelledby="anomalies-title">
        <h2 id="anomalies-title">Anomalies</h2>
        <Loaded query={anomalies}>
          {(a) =>
            a.anomalies.length === 0 ? (
              <Empty>Nothing unusual: the cron tick compares each queue's failure rate, backlog and run time with its own baseline every minute.</Empty>
            ) : (
              <DataTable data={a.anomalies} columns={anomalyColumns} caption="Anomalies, newest first" rowId={(x) => x.id} />
            )
          }
        </Loaded>
      </section>
      {opened && <JobDrawer id={opened} onClose={() => setOpened(null)} onOpen={setOpened} />}
    </>
  );
}
