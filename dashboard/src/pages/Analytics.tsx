import { useQueries, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { get, qs } from "../api";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatMs, formatShare } from "../format";
import { fillHours } from "../series";
import type { Attempts, ByHour, Durations, Sla, TopErrors } from "../types";

const HOUR = 3_600_000;
/** p50/p95/p99 over the last day, one point per window. */
const WINDOWS = 12;
const WINDOW_MS = 2 * HOUR;

const axis = { stroke: "var(--muted)", fontSize: 12 };
const tooltip = { contentStyle: { background: "var(--surface)", border: "1px solid var(--border)" } };

function Chart({ label, children }: { label: string; children: React.ReactElement }) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

function Percentiles() {
  const now = Date.now();
  const windows = Array.from({ length: WINDOWS }, (_, i) => now - (WINDOWS - i) * WINDOW_MS);
  const results = useQueries({
    queries: windows.map((from) => ({
      queryKey: ["analytics", "durations", Math.floor(from / WINDOW_MS)],
      queryFn: () => get<Durations>(`/api/v1/analytics/durations${qs({ from: new Date(from).toISOString(), to: new Date(from + WINDOW_MS).toISOString() })}`),
    })),
  });
  const rows = results.map((r, i) => ({
    time: new Date(windows[i]! + WINDOW_MS).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }),
    p50: r.data?.p50Ms ?? null,
    p95: r.data?.p95Ms ?? null,
    p99: r.data?.p99Ms ?? null,
  }));
  return (
    <Chart label="Run time percentiles p50, p95 and p99 in milliseconds, every two hours over the last day">
      <LineChart data={rows} margin={{ left: 0, right: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
        <XAxis dataKey="time" {...axis} />
        <YAxis {...axis} unit=" ms" width={70} />
        <Tooltip {...tooltip} />
        <Legend />
        <Line dataKey="p50" stroke="var(--green)" isAnimationActive={false} connectNulls />
        <Line dataKey="p95" stroke="var(--blue)" isAnimationActive={false} connectNulls />
        <Line dataKey="p99" stroke="var(--red)" isAnimationActive={false} connectNulls />
      </LineChart>
    </Chart>
  );
}

function HourHeatMap({ data }: { data: ByHour }) {
  const hours = fillHours(data.hours);
  const max = Math.max(1, ...hours.map((h) => h.submitted));
  return (
    <table className="heat">
      <caption>Submissions by hour of day ({data.tz}), last 7 days</caption>
      <tbody>
        <tr>
          {hours.map((h) => (
            <td key={h.hour} className={h.submitted / max > 0.5 ? "hot" : undefined} style={{ "--heat": h.submitted / max } as React.CSSProperties} title={`${h.hour}:00 — ${h.submitted} submitted`}>
              <span className="sr-only">
                {h.hour}:00, {h.submitted} submitted
              </span>
              <span aria-hidden="true">{h.hour}</span>
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

export default function Analytics() {
  const day = qs({ from: new Date(Date.now() - 24 * HOUR).toISOString() });
  const week = new Date(Date.now() - 7 * 24 * HOUR).toISOString();
  const [targetMs, setTargetMs] = useState(60_000);
  const durations = useQuery({ queryKey: ["analytics", "durations", "day"], queryFn: () => get<Durations>(`/api/v1/analytics/durations${day}`) });
  const attempts = useQuery({ queryKey: ["analytics", "attempts"], queryFn: () => get<Attempts>(`/api/v1/analytics/attempts${day}`) });
  const errors = useQuery({ queryKey: ["analytics", "errors"], queryFn: () => get<TopErrors>(`/api/v1/analytics/errors${qs({ from: week, limit: 10 })}`) });
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const byHour = useQuery({ queryKey: ["analytics", "by-hour", tz], queryFn: () => get<ByHour>(`/api/v1/analytics/submissions-by-hour${qs({ from: week, tz })}`) });
  const sla = useQuery({ queryKey: ["analytics", "sla", targetMs], queryFn: () => get<Sla>(`/api/v1/analytics/sla${qs({ from: week, targetMs })}`) });
  return (
    <>
      <h1>Analytics</h1>
      <div className="grid-2">
        <section aria-labelledby="pct-title">
          <h2 id="pct-title">Run time p50 / p95 / p99, last 24 hours</h2>
          <Percentiles />
        </section>
        <section aria-labelledby="hist-title">
          <h2 id="hist-title">Run time histogram, last 24 hours</h2>
          <Loaded query={durations}>
            {(d) =>
              d.count === 0 ? (
                <Empty>No finished attempts in the last 24 hours.</Empty>
              ) : (
                <>
                  <p className="muted">
                    {formatCount(d.count)} runs · average {formatMs(d.avgMs)} · p50 {formatMs(d.p50Ms)} · p95 {formatMs(d.p95Ms)} · p99 {formatMs(d.p99Ms)}
                  </p>
                  <Chart label="Number of runs by run time bucket">
                    <BarChart data={d.histogram.filter((b) => b.count > 0).map((b) => ({ bucket: b.leMs === null ? "more" : `≤ ${formatMs(b.leMs)}`, count: b.count }))}>
                      <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                      <XAxis dataKey="bucket" {...axis} />
                      <YAxis {...axis} allowDecimals={false} />
                      <Tooltip {...tooltip} />
                      <Bar dataKey="count" fill="var(--blue)" isAnimationActive={false} />
                    </BarChart>
                  </Chart>
                </>
              )
            }
          </Loaded>
        </section>
        <section aria-labelledby="err-title">
          <h2 id="err-title">Error categories, last 7 days</h2>
          <Loaded query={errors}>
            {(e) =>
              e.errors.length === 0 ? (
                <Empty>No failures in the last 7 days.</Empty>
              ) : (
                <Chart label="Failures by error fingerprint">
                  <BarChart data={e.errors.map((x) => ({ name: `${x.errorName}: ${x.sampleMessage.slice(0, 30)}`, count: x.count }))} layout="vertical" margin={{ left: 8 }}>
                    <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                    <XAxis type="number" {...axis} allowDecimals={false} />
                    <YAxis type="category" dataKey="name" {...axis} width={180} />
                    <Tooltip {...tooltip} />
                    <Bar dataKey="count" fill="var(--red)" isAnimationActive={false} />
                  </BarChart>
                </Chart>
              )
            }
          </Loaded>
        </section>
        <section aria-labelledby="att-title">
          <h2 id="att-title">Success by attempt number, last 24 hours</h2>
          <Loaded query={attempts}>
            {(a) =>
              a.finished === 0 ? (
                <Empty>No finished jobs in the last 24 hours.</Empty>
              ) : (
                <>
                  <p className="muted">
                    {formatCount(a.finished)} finished · {formatShare(a.deadShare)} dead-lettered
                  </p>
                  <Chart label="Completed jobs by the attempt they succeeded on">
                    <BarChart data={a.attempts.map((x) => ({ attempt: x.orLater ? `${x.attempt}+` : String(x.attempt), completed: x.completed }))}>
                      <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                      <XAxis dataKey="attempt" {...axis} />
                      <YAxis {...axis} allowDecimals={false} />
                      <Tooltip {...tooltip} />
                      <Bar dataKey="completed" fill="var(--green)" isAnimationActive={false} />
                    </BarChart>
                  </Chart>
                </>
              )
            }
          </Loaded>
        </section>
      </div>
      <section aria-labelledby="hour-title">
        <h2 id="hour-title">When jobs are submitted</h2>
        <Loaded query={byHour}>{(h) => <HourHeatMap data={h} />}</Loaded>
      </section>
      <section aria-labelledby="sla-title">
        <h2 id="sla-title">SLA, last 7 days</h2>
        <label>
          Target, submit to completion (seconds){" "}
          <input type="number" min={1} className="narrow" defaultValue={targetMs / 1000} onBlur={(e) => setTargetMs(Math.max(1, Number(e.target.value)) * 1000)} />
        </label>
        <Loaded query={sla}>
          {(s) => (
            <p className="big-inline">
              <strong>{formatShare(s.withinShare)}</strong> of {formatCount(s.completed)} completed jobs finished within {formatMs(s.targetMs)}.
            </p>
          )}
        </Loaded>
      </section>
    </>
  );
}
