import { useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { Link } from "wouter";
import { get, qs } from "../api";
import { DataTable } from "../components/DataTable";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatMs, formatTime } from "../format";
import type { Job, JobPage, Worker } from "../types";

const wc = createColumnHelper<Worker>();
const workerColumns = [
  wc.accessor("name", { header: "Worker", cell: (c) => <span title={c.row.original.id}>{c.getValue()}</span> }),
  wc.accessor("queues", { header: "Queues", cell: (c) => c.getValue().join(", ") }),
  wc.accessor("host", { header: "Host", cell: (c) => c.getValue() ?? "—" }),
  wc.accessor("startedAt", { header: "Started", cell: (c) => formatTime(c.getValue()) }),
  wc.accessor("lastHeartbeatAt", { header: "Last heartbeat", cell: (c) => `${formatMs(Date.now() - Date.parse(c.getValue()))} ago` }),
  wc.accessor("currentJobs", { header: "Running now", cell: (c) => formatCount(c.getValue().length) }),
  wc.accessor("processed", { header: "Processed", cell: (c) => formatCount(c.getValue()) }),
  wc.accessor("failed", { header: "Failed", cell: (c) => formatCount(c.getValue()) }),
];

const jc = createColumnHelper<Job>();
const leaseColumns = [
  jc.accessor("id", { header: "Job", cell: (c) => <code title={c.getValue()}>{c.getValue().slice(-8)}</code> }),
  jc.accessor("queue", { header: "Queue" }),
  jc.accessor("type", { header: "Type" }),
  jc.accessor("attempt", { header: "Attempt", cell: (c) => `${c.getValue()}/${c.row.original.maxAttempts}` }),
  jc.accessor("startedAt", { header: "Running for", cell: (c) => (c.getValue() ? formatMs(Date.now() - Date.parse(c.getValue()!)) : "—") }),
];

/** Pull workers and every lease in flight, in the Worker's consumer or on a pull worker. */
export default function Workers() {
  const workers = useQuery({ queryKey: ["workers"], queryFn: () => get<{ workers: Worker[] }>("/api/v1/workers") });
  const running = useQuery({ queryKey: ["running"], queryFn: () => get<JobPage>(`/api/v1/jobs${qs({ state: "running", limit: 100 })}`) });
  return (
    <>
      <h1>Workers</h1>
      <section aria-labelledby="pull-title">
        <h2 id="pull-title">Pull workers</h2>
        <Loaded query={workers}>
          {(w) =>
            w.workers.length === 0 ? (
              <Empty>
                No pull workers are connected. Set a queue's mode to pull and start one with <code>edgeq/worker</code> (see the README's Pull workers section); workers that stop
                heart-beating leave this list within a minute.
              </Empty>
            ) : (
              <DataTable data={w.workers} columns={workerColumns} caption="Pull workers" rowId={(x) => x.id} />
            )
          }
        </Loaded>
      </section>
      <section aria-labelledby="leases-title">
        <h2 id="leases-title">Leases in flight</h2>
        <Loaded query={running}>
          {(page) =>
            page.jobs.length === 0 ? (
              <Empty>No job is running right now.</Empty>
            ) : (
              <>
                <DataTable data={page.jobs} columns={leaseColumns} caption="Running jobs, newest first" rowId={(j) => j.id} />
                {page.nextCursor && (
                  <p className="muted">
                    The first 100 shown; <Link href="/jobs?state=running">see them all on the Jobs page</Link>.
                  </p>
                )}
              </>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
