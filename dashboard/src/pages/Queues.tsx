import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { get, post, put } from "../api";
import { DataTable } from "../components/DataTable";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatMs } from "../format";
import type { Overview, QueueActivity, Worker } from "../types";

/** A queue's row: its activity and the pull workers serving it. */
type QueueRow = QueueActivity & { workers: number };

const col = createColumnHelper<QueueRow>();

function PauseButton({ queue }: { queue: QueueActivity }) {
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => post(`/api/v1/queues/${encodeURIComponent(queue.queue)}/${queue.paused ? "resume" : "pause"}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["overview"] }),
  });
  return (
    <>
      <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending} aria-label={`${queue.paused ? "Resume" : "Pause"} queue ${queue.queue}`}>
        {queue.paused ? "Resume" : "Pause"}
      </button>
      {toggle.error && <span role="alert" className="error"> {toggle.error.message}</span>}
    </>
  );
}

function ConcurrencyEditor({ queue }: { queue: QueueActivity }) {
  const client = useQueryClient();
  const [value, setValue] = useState(String(queue.concurrency));
  const save = useMutation({
    mutationFn: (concurrency: number) => put(`/api/v1/queues/${encodeURIComponent(queue.queue)}`, { concurrency }),
    onSettled: () => client.invalidateQueries({ queryKey: ["overview"] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(Number(value));
  };
  const id = `conc-${queue.queue}`;
  return (
    <form className="inline" onSubmit={submit}>
      <label htmlFor={id} className="sr-only">
        Concurrency of {queue.queue}
      </label>
      <input id={id} type="number" min={1} max={10000} required value={value} onChange={(e) => setValue(e.target.value)} className="narrow" />
      <button type="submit" disabled={save.isPending || Number(value) === queue.concurrency}>
        Save
      </button>
      {save.error && <span role="alert" className="error"> {save.error.message}</span>}
    </form>
  );
}

/** The queue's dispatch rate limit: at most `limit` per `seconds`; both empty removes it. */
function RateLimitEditor({ queue }: { queue: QueueActivity }) {
  const client = useQueryClient();
  const [limit, setLimit] = useState(queue.rateLimit ? String(queue.rateLimit.limit) : "");
  const [seconds, setSeconds] = useState(queue.rateLimit ? String(queue.rateLimit.periodMs / 1000) : "");
  const save = useMutation({
    mutationFn: (rateLimit: { limit: number; periodMs: number } | null) => put(`/api/v1/queues/${encodeURIComponent(queue.queue)}`, { rateLimit }),
    onSettled: () => client.invalidateQueries({ queryKey: ["overview"] }),
  });
  const unchanged = limit === (queue.rateLimit ? String(queue.rateLimit.limit) : "") && seconds === (queue.rateLimit ? String(queue.rateLimit.periodMs / 1000) : "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(limit === "" && seconds === "" ? null : { limit: Number(limit), periodMs: Math.round(Number(seconds) * 1000) });
  };
  const id = `rate-${queue.queue}`;
  return (
    <form className="inline" onSubmit={submit}>
      <label htmlFor={id} className="sr-only">
        Jobs per period for {queue.queue} (empty for no limit)
      </label>
      <input id={id} type="number" min={1} placeholder="∞" value={limit} onChange={(e) => setLimit(e.target.value)} className="narrow" required={seconds !== ""} />
      <span aria-hidden="true"> per </span>
      <label htmlFor={`${id}-s`} className="sr-only">
        Period in seconds for {queue.queue}
      </label>
      <input id={`${id}-s`} type="number" min={0.001} step="any" placeholder="s" value={seconds} onChange={(e) => setSeconds(e.target.value)} className="narrow" required={limit !== ""} />
      <span aria-hidden="true"> s </span>
      <button type="submit" disabled={save.isPending || unchanged} aria-label={`Save the rate limit of ${queue.queue}`}>
        Save
      </button>
      {save.error && <span role="alert" className="error"> {save.error.message}</span>}
    </form>
  );
}

const columns = [
  col.accessor("queue", { header: "Queue", cell: (c) => <Link href={`/jobs?queue=${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
  col.accessor("health", {
    header: "Health",
    cell: (c) => (
      <span className={`health health-${c.getValue()}`}>
        <span aria-hidden="true">●</span> {c.getValue()}
        {c.row.original.paused ? ", paused" : ""}
      </span>
    ),
  }),
  col.accessor("pending", { header: "Pending", cell: (c) => formatCount(c.getValue()) }),
  col.accessor("running", { header: "Running", cell: (c) => formatCount(c.getValue()) }),
  col.accessor("completedToday", { header: "Completed today", cell: (c) => formatCount(c.getValue()) }),
  col.accessor("failedToday", { header: "Failed today", cell: (c) => formatCount(c.getValue() + c.row.original.deadToday) }),
  col.accessor("avgDurationMs", { header: "Avg duration", cell: (c) => formatMs(c.getValue()) }),
  col.display({ id: "workers", header: "Workers", cell: (c) => (c.row.original.mode === "pull" ? formatCount(c.row.original.workers) : "in the Worker") }),
  col.display({ id: "concurrency", header: "Concurrency", cell: (c) => <ConcurrencyEditor key={c.row.original.concurrency} queue={c.row.original} /> }),
  col.display({ id: "rate", header: "Rate limit", cell: (c) => <RateLimitEditor key={JSON.stringify(c.row.original.rateLimit)} queue={c.row.original} /> }),
  col.display({ id: "pause", header: "Dispatch", cell: (c) => <PauseButton queue={c.row.original} /> }),
];

export default function Queues() {
  const overview = useQuery({ queryKey: ["overview"], queryFn: () => get<Overview>("/api/v1/analytics/overview") });
  const workers = useQuery({ queryKey: ["workers"], queryFn: () => get<{ workers: Worker[] }>("/api/v1/workers") });
  return (
    <>
      <h1>Queues</h1>
      <p className="muted">
        Failed today counts failed attempts and dead-lettered jobs. Pausing stops new dispatch; running jobs finish. A rate limit caps dispatches in any window of
        that many seconds; clear both fields to remove it.
      </p>
      <Loaded query={overview}>
        {(data) =>
          data.queues.length === 0 ? (
            <Empty>No queues yet. A queue appears when its first job is submitted.</Empty>
          ) : (
            <DataTable
              data={data.queues.map((q) => ({ ...q, workers: workers.data?.workers.filter((w) => w.queues.includes(q.queue)).length ?? 0 }))}
              columns={columns}
              caption="Queues"
              rowId={(q) => q.queue}
            />
          )
        }
      </Loaded>
    </>
  );
}

