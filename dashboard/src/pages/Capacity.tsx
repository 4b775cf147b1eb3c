import { useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useState } from "react";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { get, qs } from "../api";
import { DataTable } from "../components/DataTable";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatMs, formatShare, formatUsd } from "../format";
import type { CostReport, CostRow, Forecast, QueueForecast, SlowJobs, SlowJobType } from "../types";

const DAY = 86_400_000;
const axis = { stroke: "var(--muted)", fontSize: 12 };
const tooltip = { contentStyle: { background: "var(--surface)", border: "1px solid var(--border)" } };
const count = (n: number | null) => (n === null ? "—" : formatCount(Math.round(n)));

const fc = createColumnHelper<QueueForecast>();
const forecastColumns = [
  fc.accessor("queue", { header: "Queue" }),
  fc.accessor("next7Days", { header: "Next 7 days", cell: (c) => count(c.getValue()) }),
  fc.accessor("next30Days", { header: "Next 30 days", cell: (c) => count(c.getValue()) }),
  fc.accessor("trendPerDay", { header: "Trend per day", cell: (c) => (c.getValue() === null ? "—" : `${c.getValue()! >= 0 ? "+" : ""}${c.getValue()!.toFixed(1)} jobs/h`) }),
  fc.display({
    id: "concurrency",
    header: "Concurrency needed / set",
    cell: (c) => {
      const f = c.row.original;
      const text = `${f.neededConcurrency ?? "—"} / ${f.currentConcurrency}`;
      return f.atRisk ? <strong className="error">{text}, at risk</strong> : text;
    },
  }),
  fc.accessor("backtest", { header: "Error on last week", cell: (c) => (c.getValue() ? formatShare(c.getValue()!.wape) : "—") }),
];

const cc = createColumnHelper<CostRow>();
const costColumns = [
  cc.accessor("queue", { header: "Queue" }),
  cc.accessor("type", { header: "Type" }),
  cc.accessor((r) => r.cost.total, { id: "total", header: "Cost", cell: (c) => formatUsd(c.getValue()) }),
  cc.accessor("costPerThousandJobs", { header: "Per 1,000 jobs", cell: (c) => (c.getValue() === null ? "—" : formatUsd(c.getValue()!)) }),
  cc.accessor("attempts", { header: "Attempts", cell: (c) => formatCount(c.getValue()) }),
  cc.accessor("computeSeconds", { header: "Compute", cell: (c) => formatMs(c.getValue() * 1000) }),
  cc.accessor("wastedComputeSeconds", { header: "Wasted on failures", cell: (c) => formatMs(c.getValue() * 1000) }),
  cc.accessor("retryCost", { header: "Retries cost", cell: (c) => formatUsd(c.getValue()) }),
];

const sc = createColumnHelper<SlowJobType>();
const slowColumns = [
  sc.accessor("type", { header: "Type" }),
  sc.accessor("p50Ms", { header: "p50", cell: (c) => formatMs(c.getValue()) }),
  sc.accessor("p95Ms", { header: "p95", cell: (c) => formatMs(c.getValue()) }),
  sc.accessor("timeouts", { header: "Timeouts", cell: (c) => `${formatCount(c.getValue())} of ${formatCount(c.row.original.attempts)}` }),
  sc.accessor("suggestion", { header: "Suggestion" }),
];

/** One queue's coming days: the expected count and its 80% band. */
function ForecastChart({ forecast }: { forecast: QueueForecast }) {
  const rows = forecast.days.map((d) => ({
    day: new Date(d.day).toLocaleDateString(undefined, { weekday: "short", day: "numeric" }),
    expected: Math.round(d.expected),
    band: [Math.round(d.low), Math.round(d.high)],
  }));
  return (
    <div className="chart" role="img" aria-label={`Expected submissions per day for ${forecast.queue}, with an 80% band`}>
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="day" {...axis} />
          <YAxis {...axis} width={70} />
          <Tooltip {...tooltip} />
          <Legend />
          <Area dataKey="band" name="80% band" fill="var(--blue)" fillOpacity={0.15} stroke="none" isAnimationActive={false} />
          <Line dataKey="expected" name="expected" stroke="var(--blue)" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

function ForecastSection() {
  const [targetMs, setTargetMs] = useState(60_000);
  const [selected, setSelected] = useState<string | null>(null);
  const forecast = useQuery({ queryKey: ["capacity", "forecast", targetMs], queryFn: () => get<Forecast>(`/api/v1/analytics/forecast${qs({ days: 14, targetLatencyMs: targetMs })}`) });
  return (
    <section aria-labelledby="forecast-title">
      <h2 id="forecast-title">Forecast</h2>
      <label>
        Latency to meet at each queue's peak, wait + run (seconds){" "}
        <input type="number" min={1} className="narrow" defaultValue={targetMs / 1000} onBlur={(e) => setTargetMs(Math.max(1, Number(e.target.value)) * 1000)} />
      </label>
      <Loaded query={forecast}>
        {(f) => {
          if (f.queues.length === 0) return <Empty>No queues yet. Forecasts start once a queue has a day of history.</Empty>;
          const shown = f.queues.find((q) => q.queue === selected) ?? f.queues.find((q) => q.status === "ok");
          return (
            <>
              {f.atRisk.length > 0 && (
                <p role="status" className="error">
                  At risk of overload: {f.atRisk.join(", ")}. Raise their concurrency to what the table says, or split them into partitions.
                </p>
              )}
              <DataTable data={f.queues} columns={forecastColumns} caption="Forecast per queue" rowId={(q) => q.queue} onOpen={(q) => setSelected(q.queue)} />
              {shown && shown.status === "ok" ? (
                <>
                  <h3>{shown.queue}, next 14 days</h3>
                  <p className="muted">{shown.reasoning}</p>
                  <ForecastChart forecast={shown} />
                </>
              ) : (
                <Empty>No queue has a full day of history yet: forecasts begin after its first day.</Empty>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

export default function Capacity() {
  const from = new Date(Date.now() - 7 * DAY).toISOString();
  const cost = useQuery({ queryKey: ["capacity", "cost"], queryFn: () => get<CostReport>(`/api/v1/analytics/cost${qs({ from })}`) });
  const slow = useQuery({ queryKey: ["capacity", "slow"], queryFn: () => get<SlowJobs>(`/api/v1/analytics/slow-jobs${qs({ since: from, limit: 10 })}`) });
  return (
    <>
      <h1>Capacity</h1>
      <ForecastSection />
      <section aria-labelledby="cost-title">
        <h2 id="cost-title">Cost, last 7 days</h2>
        <Loaded query={cost}>
          {(c) =>
            c.byType.length === 0 ? (
              <Empty>Nothing ran in the last 7 days.</Empty>
            ) : (
              <>
                <p className="big-inline">
                  <strong>{formatUsd(c.totals.cost.total)}</strong> for {formatCount(c.totals.submitted)} jobs and {formatCount(c.totals.attempts)} attempts; retries cost{" "}
                  {formatUsd(c.totals.retryCost)}.
                </p>
                <p className="muted">Estimated from Cloudflare's and Neon's unit prices (set EDGEQ_UNIT_PRICES for yours); run time stands in for CPU time.</p>
                <DataTable data={c.byType} columns={costColumns} caption="Cost per queue and job type, most expensive first" rowId={(r) => `${r.queue}/${r.type}`} />
              </>
            )
          }
        </Loaded>
      </section>
      <section aria-labelledby="slow-title">
        <h2 id="slow-title">Slowest job types, last 7 days</h2>
        <Loaded query={slow}>
          {(s) =>
            s.types.length === 0 ? <Empty>No attempts finished in the last 7 days.</Empty> : <DataTable data={s.types} columns={slowColumns} caption="Slowest job types by p95" rowId={(t) => t.type} />
          }
        </Loaded>
      </section>
    </>
  );
}
