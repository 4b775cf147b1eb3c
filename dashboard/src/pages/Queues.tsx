import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { get, post, put } from "../api";
import { DataTable } from "../components/DataTable";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatMs } from "../format";
import type { Overview, QueueActivity } from "../types";

const col = createColumnHelper<QueueActivity>();

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
  col.display({ id: "concurrency", header: "Concurrency", cell: (c) => <ConcurrencyEditor key={c.row.original.concurrency} queue={c.row.original} /> }),
  col.display({ id: "pause", header: "Dispatch", cell: (c) => <PauseButton queue={c.row.original} /> }),
];

export default function Queues() {
  const overview = useQuery({ queryKey: ["overview"], queryFn: () => get<Overview>("/api/v1/analytics/overview") });
  return (
    <>
      <h1>Queues</h1>
      <p className="muted">Failed today counts failed attempts and dead-lettered jobs. Pausing stops new dispatch; running jobs finish.</p>
      <Loaded query={overview}>
        {(data) =>
          data.queues.length === 0 ? (
            <Empty>No queues yet. A queue appears when its first job is submitted.</Empty>
          ) : (
            <DataTable data={data.queues} columns={columns} caption="Queues" rowId={(q) => q.queue} />
          )
        }
      </Loaded>
    </>
  );
}

