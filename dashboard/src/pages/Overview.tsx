import { useQuery } from "@tanstack/react-query";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Link } from "wouter";
import { get, qs } from "../api";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatMs, formatShare } from "../format";
import { useLive } from "../live";
import { fillSeries } from "../series";
import type { Anomaly, Durations, Insight, InsightPage, LiveEvent, Overview as OverviewData, Throughput } from "../types";

const HOUR = 3_600_000;
const startOfToday = () => new Date(new Date().setHours(0, 0, 0, 0)).toISOString();

function BigNumber({ label, value }: { label: string; value: string }) {
  return (
    <div className="big">
      <span className="big-value">{value}</span>
      <span className="big-label">{label}</span>
    </div>
  );
}

function Totals({ overview, durations }: { overview: OverviewData; durations: Durations | undefined }) {
  const sum = (f: (q: OverviewData["queues"][number]) => number) => overview.queues.reduce((s, q) => s + f(q), 0);
  const completed = sum((q) => q.completedToday);
  const dead = sum((q) => q.deadToday);
  return (
    <section className="bigs" aria-label="Today">
      <BigNumber label="processed today" value={formatCount(completed + dead)} />
      <BigNumber label="success rate" value={completed + dead === 0 ? "—" : formatShare(completed / (completed + dead))} />
      <BigNumber label="average duration" value={formatMs(durations?.avgMs)} />
      <BigNumber label="backlog" value={formatCount(sum((q) => q.pending))} />
    </section>
  );
}

export function ThroughputChart({ data }: { data: Throughput }) {
  const rows = fillSeries(data).map((s) => ({ ...s, time: new Date(s.start).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) }));
  return (
    <div className="chart" role="img" aria-label="Jobs submitted, completed and failed per minute over the last hour">
      <ResponsiveContainer width="100%" height={240}>
        <AreaChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="time" stroke="var(--muted)" fontSize={12} minTickGap={24} />
          <YAxis stroke="var(--muted)" fontSize={12} allowDecimals={false} />
          <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
          <Legend />
          <Area type="monotone" dataKey="submitted" stroke="var(--blue)" fill="var(--blue)" fillOpacity={0.1} isAnimationActive={false} />
          <Area type="monotone" dataKey="completed" stroke="var(--green)" fill="var(--green)" fillOpacity={0.2} isAnimationActive={false} />
          <Area type="monotone" dataKey="failed" stroke="var(--red)" fill="var(--red)" fillOpacity={0.2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

const DAY = 24 * HOUR;

/**
 * What most needs a look, at most three: anomalies first (something changed), then the insights
 * behind the most failures, then red or yellow queues.
 */
function Attention({ overview, anomalies, insights }: { overview: OverviewData; anomalies: Anomaly[]; insights: Insight[] }) {
  const items = [
    ...anomalies.map((a) => ({ key: a.id, tone: "red" as const, text: `Anomaly in ${a.queue}: ${a.message}`, href: `/jobs?queue=${encodeURIComponent(a.queue)}` })),
    ...[...insights]
      .sort((a, b) => b.occurrences - a.occurrences)
      .map((i) => ({
        key: i.id,
        tone: "red" as const,
        text: `${i.occurrences}× ${i.error.name} in ${i.queue} (${i.failure_category.replace("_", " ")}; suggested: ${i.suggested_action.replaceAll("_", " ")}): ${i.reasoning}`,
        href: `/dlq?queue=${encodeURIComponent(i.queue)}`,
      })),
    ...overview.queues
      .filter((q) => q.health !== "green")
      .sort((a, b) => (a.health === b.health ? b.pending - a.pending : a.health === "red" ? -1 : 1))
      .map((q) => ({ key: `q-${q.queue}`, tone: q.health, text: `Queue ${q.queue} is ${q.health}${q.paused ? " (paused)" : ""}: ${q.pending} pending, ${q.failedToday} failed today`, href: "/queues" })),
  ].slice(0, 3);
  if (items.length === 0) return <Empty>Nothing needs attention: no anomalies or failures in the last 24 hours, and every queue is healthy.</Empty>;
  return (
    <ul className="attention">
      {items.map((i) => (
        <li key={i.key} className={`tone-${i.tone}`}>
          <Link href={i.href}>{i.text}</Link>
        </li>
      ))}
    </ul>
  );
}

function describe(e: LiveEvent): string {
  switch (e.type) {
    case "job.completed":
      return `${e.queue} · ${e.jobType} completed in ${formatMs(e.durationMs)} (attempt ${e.attempt})`;
    case "job.failed":
      return `${e.queue} · ${e.jobType} failed, will retry: ${e.error}`;
    case "job.dead":
      return `${e.queue} · ${e.jobType} dead-lettered: ${e.error}`;
    case "worker.batch":
      return `worker ran ${e.jobs} jobs (${e.completed} ok, ${e.failed} failed) in ${formatMs(e.durationMs)}`;
    case "queue.backlog":
      return `${e.queue}: ${e.ready} ready`;
    case "batch.completed":
      return `batch ${e.name} finished: ${e.counts.completed ?? 0} of ${e.total} completed`;
    case "worker.joined":
      return `pull worker ${e.name} joined (${e.queues.join(", ")})`;
    case "worker.left":
      return `pull worker ${e.name} left (${e.reason})`;
  }
}

export function LiveFeed() {
  const { feed, paused, missed, setPaused } = useLive();
  return (
    <section aria-labelledby="feed-title">
      <div className="section-head">
        <h2 id="feed-title">Live feed</h2>
        <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? "Resume feed" : "Pause feed"}
        </button>
        {paused && (
          <span className="feed-missed" role="status">
            {missed === 1 ? "1 event while paused" : `${missed} events while paused`}
          </span>
        )}
      </div>
      {feed.length === 0 ? (
        <Empty>No events yet. Submit a job (see the README) and it appears here as it finishes.</Empty>
      ) : (
        <ol className="feed" aria-live={paused ? "off" : "polite"}>
          {feed.map((e, i) => (
            <li key={`${e.at}-${"jobId" in e ? e.jobId : i}-${e.type}`} className={`ev-${e.type.replace(".", "-")}`}>
              <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toLocaleTimeString()}</time> {describe(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export default function Overview() {
  const overview = useQuery({ queryKey: ["overview"], queryFn: () => get<OverviewData>("/api/v1/analytics/overview") });
  const durations = useQuery({ queryKey: ["overview", "durations"], queryFn: () => get<Durations>(`/api/v1/analytics/durations${qs({ from: startOfToday() })}`) });
  const throughput = useQuery({
    queryKey: ["throughput", "hour"],
    queryFn: () => get<Throughput>(`/api/v1/analytics/throughput${qs({ from: new Date(Date.now() - HOUR).toISOString(), step: "1m" })}`),
  });
  const since = new Date(Math.floor((Date.now() - DAY) / HOUR) * HOUR).toISOString();
  const anomalies = useQuery({ queryKey: ["overview", "anomalies", since], queryFn: () => get<{ anomalies: Anomaly[] }>(`/api/v1/anomalies${qs({ since, limit: 3 })}`) });
  const insights = useQuery({ queryKey: ["overview", "insights", since], queryFn: () => get<InsightPage>(`/api/v1/insights${qs({ since, limit: 50 })}`) });
  return (
    <>
      <h1>Overview</h1>
      <Loaded query={overview}>
        {(data) => (
          <>
            <Totals overview={data} durations={durations.data} />
            <div className="grid-2">
              <section aria-labelledby="tp-title">
                <h2 id="tp-title">Throughput, last hour</h2>
                <Loaded query={throughput}>{(t) => <ThroughputChart data={t} />}</Loaded>
              </section>
              <section aria-labelledby="att-title">
                <h2 id="att-title">Needs attention</h2>
                <Attention overview={data} anomalies={anomalies.data?.anomalies ?? []} insights={insights.data?.insights ?? []} />
              </section>
            </div>
          </>
        )}
      </Loaded>
      <LiveFeed />
    </>
  );
}
