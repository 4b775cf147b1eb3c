import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useCallback, useState } from "react";
import { del, get, post, qs } from "../api";
import { DataTable } from "../components/DataTable";
import { QueueSelect, TextFilter, TimeFilter, toIso, useFilters } from "../components/filters";
import { JobDrawer } from "../components/JobDrawer";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatShare, formatTime, toCsv } from "../format";
import { FAILURE_CATEGORIES } from "../../../src/insights/verdict";
import { groupInsights } from "../insights";
import type { InsightPage, Job, JobPage } from "../types";

const FILTERS = ["queue", "type", "text", "since", "until"] as const;
const PAGE = 50;
/** Pages read when walking everything a filter matches (export, delete all). */
const WALK_PAGE = 500;
const DELETE_PARALLEL = 8;

type Filter = { queue?: string; type?: string; error?: string; since?: string; until?: string };

/** Every dead job the filter matches, page by page. */
async function allMatching(filter: Filter): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<JobPage>(`/api/v1/dlq${qs({ ...filter, limit: WALK_PAGE, cursor })}`);
    jobs.push(...page.jobs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return jobs;
}

const CSV_COLUMNS = [
  { header: "id", value: (j: Job) => j.id },
  { header: "queue", value: (j: Job) => j.queue },
  { header: "type", value: (j: Job) => j.type },
  { header: "attempts", value: (j: Job) => j.attempt },
  { header: "error_name", value: (j: Job) => j.error?.name },
  { header: "error_message", value: (j: Job) => j.error?.message },
  { header: "submitted_at", value: (j: Job) => j.createdAt },
  { header: "failed_at", value: (j: Job) => j.finishedAt },
  { header: "payload", value: (j: Job) => j.payload },
] as const;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** What a bulk action applies to: some rows by id, or everything the filter matches. */
type Selection = { kind: "ids"; ids: Set<string> } | { kind: "matching" };

async function retryTarget(selection: Selection, filter: Filter): Promise<number> {
  if (selection.kind === "ids") return (await post<{ retried: number }>("/api/v1/dlq/retry", { ids: [...selection.ids] })).retried;
  let total = 0;
  for (;;) {
    const answer = await post<{ retried: number; more: boolean }>("/api/v1/dlq/retry", { filter });
    total += answer.retried;
    if (!answer.more) return total;
  }
}

async function deleteTarget(selection: Selection, filter: Filter): Promise<number> {
  const ids = selection.kind === "ids" ? [...selection.ids] : (await allMatching(filter)).map((j) => j.id);
  for (let i = 0; i < ids.length; i += DELETE_PARALLEL) await Promise.all(ids.slice(i, i + DELETE_PARALLEL).map((id) => del(`/api/v1/dlq/${id}`)));
  return ids.length;
}

const WEEK_MS = 7 * 86_400_000;

/** Failures grouped by fingerprint with the analyzer's verdict; a click shows that failure's dead jobs. */
function FailureGroups({ queue, onPick }: { queue: string; onPick: (message: string) => void }) {
  const [category, setCategory] = useState("");
  const since = new Date(Math.floor((Date.now() - WEEK_MS) / 3_600_000) * 3_600_000).toISOString();
  const insights = useQuery({
    queryKey: ["dlq", "insights", queue, category, since],
    queryFn: () => get<InsightPage>(`/api/v1/insights${qs({ queue, category, since, limit: 500 })}`),
  });
  return (
    <section aria-labelledby="groups-title">
      <div className="section-head">
        <h2 id="groups-title">Failures by fingerprint, last 7 days</h2>
        <label>
          Error category{" "}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">Any category</option>
            {FAILURE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Loaded query={insights}>
        {(page) => {
          const groups = groupInsights(page.insights);
          if (groups.length === 0) return <Empty>No analyzed failures match in the last 7 days.</Empty>;
          return (
            <ul className="groups">
              {groups.map(({ fingerprint, occurrences, latest }) => (
                <li key={fingerprint} className="card">
                  <button type="button" className="link" onClick={() => onPick(latest.error.message.slice(0, 200))} title="Show the dead jobs with this error">
                    <strong>{formatCount(occurrences)}×</strong> {latest.error.name}: {latest.error.message}
                  </button>
                  <p>
                    <span className="tag">{latest.failure_category.replaceAll("_", " ")}</span> <span className="tag">suggested: {latest.suggested_action.replaceAll("_", " ")}</span>{" "}
                    <span className="muted">
                      {formatShare(latest.confidence_score)} confident · {latest.source === "workers-ai" ? `Workers AI (${latest.model})` : "built-in analyzer"} · {latest.queue} ·{" "}
                      {latest.job_type} · last {formatTime(latest.last_seen_at)}
                    </span>
                  </p>
                  <p>{latest.reasoning}</p>
                </li>
              ))}
            </ul>
          );
        }}
      </Loaded>
    </section>
  );
}

export default function DeadLetters() {
  const client = useQueryClient();
  const [f, setF] = useFilters(FILTERS);
  const [selection, setSelection] = useState<Selection>({ kind: "ids", ids: new Set() });
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const filter: Filter = { queue: f.queue || undefined, type: f.type || undefined, error: f.text || undefined, since: toIso(f.since), until: toIso(f.until) };
  const changeFilter = (patch: Partial<Record<(typeof FILTERS)[number], string>>) => {
    setSelection({ kind: "ids", ids: new Set() });
    setF(patch);
  };

  const dead = useInfiniteQuery({
    queryKey: ["dlq", "list", filter],
    queryFn: ({ pageParam }) => get<JobPage>(`/api/v1/dlq${qs({ ...filter, limit: PAGE, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = dead.data?.pages.flatMap((p) => p.jobs) ?? [];

  const after = (verb: string) => (count: number) => {
    setNotice(`${verb} ${formatCount(count)} job${count === 1 ? "" : "s"}.`);
    setSelection({ kind: "ids", ids: new Set() });
    void client.invalidateQueries({ queryKey: ["dlq"] });
  };
  const retry = useMutation({ mutationFn: () => retryTarget(selection, filter), onSuccess: after("Retried") });
  const remove = useMutation({ mutationFn: () => deleteTarget(selection, filter), onSuccess: after("Deleted") });
  const exportCsv = useMutation({
    mutationFn: () => allMatching(filter),
    onSuccess: (jobs) => download(`edgeq-dead-letters-${new Date().toISOString().slice(0, 19).replaceAll(":", "")}.csv`, toCsv(CSV_COLUMNS, jobs)),
  });

  const picked = (id: string) => selection.kind === "matching" || selection.ids.has(id);
  const toggle = (id: string) => {
    const ids = new Set(selection.kind === "ids" ? selection.ids : rows.map((r) => r.id));
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    setSelection({ kind: "ids", ids });
  };
  const allShown = rows.length > 0 && rows.every((r) => picked(r.id));
  const toggleShown = () => setSelection({ kind: "ids", ids: allShown ? new Set() : new Set(rows.map((r) => r.id)) });
  const count = selection.kind === "matching" ? null : selection.ids.size;
  const busy = retry.isPending || remove.isPending;

  const col = createColumnHelper<Job>();
  const columns = [
    col.display({
      id: "pick",
      header: () => <input type="checkbox" aria-label="Select every dead job shown" checked={allShown} onChange={toggleShown} />,
      cell: (c) => (
        <input type="checkbox" aria-label={`Select job ${c.row.original.id}`} checked={picked(c.row.original.id)} onChange={() => toggle(c.row.original.id)} onClick={(e) => e.stopPropagation()} />
      ),
    }),
    col.accessor("id", { header: "Job", cell: (c) => <code title={c.getValue()}>{c.getValue().slice(-8)}</code> }),
    col.accessor("queue", { header: "Queue" }),
    col.accessor("type", { header: "Type" }),
    col.accessor("error", { header: "Error", cell: (c) => (c.getValue() ? `${c.getValue()!.name}: ${c.getValue()!.message}` : "—") }),
    col.accessor("attempt", { header: "Attempts" }),
    col.accessor("finishedAt", { header: "Died", cell: (c) => formatTime(c.getValue()) }),
  ];

  return (
    <>
      <h1>Dead-letter queue</h1>
      <form className="filters" aria-label="Filter dead jobs" onSubmit={(e) => e.preventDefault()}>
        <QueueSelect value={f.queue} onChange={(queue) => changeFilter({ queue })} />
        <TextFilter label="Type" value={f.type} onChange={(type) => changeFilter({ type })} />
        <TextFilter key={f.text} label="Error text" value={f.text} onChange={(text) => changeFilter({ text })} placeholder="part of the message" />
        <TimeFilter label="Since" value={f.since} onChange={(since) => changeFilter({ since })} />
        <TimeFilter label="Until" value={f.until} onChange={(until) => changeFilter({ until })} />
      </form>
      <div className="toolbar" role="toolbar" aria-label="Bulk actions">
        <span aria-live="polite">{count === null ? "Every dead job matching the filter is selected." : `${formatCount(count)} selected.`}</span>
        {allShown && selection.kind === "ids" && (
          <button type="button" className="link" onClick={() => setSelection({ kind: "matching" })}>
            Select all that match the filter
          </button>
        )}
        <button type="button" onClick={() => retry.mutate()} disabled={busy || count === 0}>
          Retry selected
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => window.confirm(count === null ? "Delete every dead job matching the filter for good?" : `Delete ${count} dead jobs for good?`) && remove.mutate()}
          disabled={busy || count === 0}
        >
          Delete selected
        </button>
        <button type="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
          {exportCsv.isPending ? "Exporting…" : "Export CSV"}
        </button>
      </div>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {(retry.error ?? remove.error ?? exportCsv.error) && (
        <p role="alert" className="error">
          {(retry.error ?? remove.error ?? exportCsv.error)!.message}
        </p>
      )}
      <Loaded query={dead}>
        {() =>
          rows.length === 0 ? (
            <Empty>No dead jobs match. Jobs land here when their retries run out; clear a filter to see others.</Empty>
          ) : (
            <>
              <DataTable data={rows} columns={columns} caption="Dead jobs, newest first" rowId={(j) => j.id} onOpen={(j) => setOpen(j.id)} />
              {dead.hasNextPage && (
                <button type="button" onClick={() => void dead.fetchNextPage()} disabled={dead.isFetchingNextPage}>
                  Load more
                </button>
              )}
            </>
          )
        }
      </Loaded>
      <FailureGroups queue={f.queue} onPick={(text) => changeFilter({ text })} />
      {open && <JobDrawer id={open} onClose={close} onOpen={setOpen} />}
    </>
  );
}
