import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useCallback, useState } from "react";
import { JOB_STATES } from "../../../src/core/states";
import { get, qs } from "../api";
import { DataTable } from "../components/DataTable";
import { QueueSelect, TextFilter, TimeFilter, toIso, useFilters } from "../components/filters";
import { JobDrawer } from "../components/JobDrawer";
import { Empty, Loaded } from "../components/states";
import { formatTime } from "../format";
import type { Job, JobPage } from "../types";

const col = createColumnHelper<Job>();
const columns = [
  col.accessor("id", { header: "Job", cell: (c) => <code title={c.getValue()}>{c.getValue().slice(-8)}</code> }),
  col.accessor("queue", { header: "Queue" }),
  col.accessor("type", { header: "Type" }),
  col.accessor("state", { header: "State", cell: (c) => <span className={`state state-${c.getValue()}`}>{c.getValue()}</span> }),
  col.accessor("attempt", { header: "Attempt", cell: (c) => `${c.getValue()}/${c.row.original.maxAttempts}` }),
  col.accessor("createdAt", { header: "Submitted", cell: (c) => formatTime(c.getValue()) }),
  col.accessor("finishedAt", { header: "Finished", cell: (c) => formatTime(c.getValue()) }),
];

const FILTERS = ["queue", "state", "type", "text", "since", "until"] as const;

export default function Jobs() {
  const [f, setF] = useFilters(FILTERS);
  const [open, setOpen] = useState<string | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const params = { queue: f.queue, state: f.state, type: f.type, error: f.text, since: toIso(f.since), until: toIso(f.until), limit: 50 };
  const jobs = useInfiniteQuery({
    queryKey: ["jobs", params],
    queryFn: ({ pageParam }) => get<JobPage>(`/api/v1/jobs${qs({ ...params, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <>
      <h1>Jobs</h1>
      <form className="filters" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
        <QueueSelect value={f.queue} onChange={(queue) => setF({ queue })} />
        <label>
          State
          <select value={f.state} onChange={(e) => setF({ state: e.target.value })}>
            <option value="">Any state</option>
            {JOB_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <TextFilter label="Type" value={f.type} onChange={(type) => setF({ type })} />
        <TextFilter label="Error text" value={f.text} onChange={(text) => setF({ text })} placeholder="part of the message" />
        <TimeFilter label="Since" value={f.since} onChange={(since) => setF({ since })} />
        <TimeFilter label="Until" value={f.until} onChange={(until) => setF({ until })} />
      </form>
      <Loaded query={jobs}>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.jobs);
          if (rows.length === 0) return <Empty>No jobs match these filters. Clear a filter, or submit a job through the API.</Empty>;
          return (
            <>
              <DataTable data={rows} columns={columns} caption="Jobs, newest first" rowId={(j) => j.id} onOpen={(j) => setOpen(j.id)} />
              {jobs.hasNextPage && (
                <button type="button" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
                  Load more
                </button>
              )}
            </>
          );
        }}
      </Loaded>
      {open && <JobDrawer id={open} onClose={close} onOpen={setOpen} />}
    </>
  );
}
