import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useRef } from "react";
import { CANCELLABLE_STATES, FINAL_STATES, RETRYABLE_STATES } from "../../../src/core/states";
import { ApiError, del, get, post, qs } from "../api";
import { formatMs, formatShare, formatTime } from "../format";
import { describeEvent } from "../job-events";
import type { Eta, InsightPage, Job, JobEvents, JobGraph, JobWithAttempts, Prediction } from "../types";
import { Loaded, Loading } from "./states";

// The drawing library loads only when a job with dependencies is opened.
const DependencyGraph = lazy(() => import("./DependencyGraph"));

const json = (value: unknown) => (value === undefined || value === null ? "—" : JSON.stringify(value, null, 2));

function Actions({ job, onCloned }: { job: Job; onCloned: (id: string) => void }) {
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: ["job"] }).then(() => client.invalidateQueries({ queryKey: ["jobs"] }));
  const retry = useMutation({ mutationFn: () => post(`/api/v1/jobs/${job.id}/retry`), onSettled: done });
  const cancel = useMutation({ mutationFn: () => del(`/api/v1/jobs/${job.id}`), onSettled: done });
  const clone = useMutation({
    mutationFn: () =>
      post<Job>("/api/v1/jobs", { queue: job.queue, type: job.type, payload: job.payload, priority: job.priority, maxAttempts: job.maxAttempts, backoff: job.backoff, timeoutMs: job.timeoutMs, tags: job.tags }),
    onSuccess: (created) => onCloned(created.id),
    onSettled: done,
  });
  const error = retry.error ?? cancel.error ?? clone.error;
  return (
    <div className="actions">
      {(RETRYABLE_STATES as readonly string[]).includes(job.state) && (
        <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
          Retry
        </button>
      )}
      {(CANCELLABLE_STATES as readonly string[]).includes(job.state) && (
        <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          Cancel
        </button>
      )}
      <button type="button" onClick={() => clone.mutate()} disabled={clone.isPending}>
        Clone
      </button>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </div>
  );
}

/** The analyzer's verdict on the job's newest failure, when it has one. */
function JobInsight({ id, attempt }: { id: string; attempt: number }) {
  const insight = useQuery({ queryKey: ["job", id, "insight", attempt], queryFn: () => get<InsightPage>(`/api/v1/insights${qs({ job_id: id, limit: 1 })}`) });
  return (
    <>
      <h3>Insight</h3>
      <Loaded query={insight}>
        {(page) => {
          const i = page.insights[0];
          if (!i) return <p className="muted">Not analyzed yet: failures are analyzed just after they are recorded.</p>;
          return (
            <div className="card">
              <p>
                <span className="tag">{i.failure_category.replaceAll("_", " ")}</span> <span className="tag">suggested: {i.suggested_action.replaceAll("_", " ")}</span>{" "}
                <span className="muted">
                  {formatShare(i.confidence_score)} confident · {i.source === "workers-ai" ? `Workers AI (${i.model})` : "built-in analyzer"} · shared by {i.occurrences} failure
                  {i.occurrences === 1 ? "" : "s"}
                </span>
              </p>
              <p>{i.reasoning}</p>
              {i.eta_minutes !== null && <p>Expected to clear in about {i.eta_minutes} min.</p>}
              {i.scaling_recommendation && <p>{i.scaling_recommendation}</p>}
            </div>
          );
        }}
      </Loaded>
    </>
  );
}

/** What to expect of an unfinished job: when it should run (queued jobs) and how likely it is to succeed. */
function Outlook({ job }: { job: Job }) {
  const queued = job.state === "queued";
  // The attempt the prediction is about: the one running, or the next.
  const attempt = job.state === "running" ? job.attempt : job.attempt + 1;
  const eta = useQuery({ queryKey: ["job", job.id, "eta"], queryFn: () => get<Eta>(`/api/v1/jobs/${job.id}/eta`), enabled: queued });
  const prediction = useQuery({
    queryKey: ["job", job.id, "prediction", attempt],
    queryFn: () => post<Prediction>("/api/v1/jobs/predict-success", { type: job.type, queue: job.queue, payload: job.payload, attempt }),
    retry: false,
  });
  const noHistory = prediction.error instanceof ApiError && prediction.error.code === "not_enough_history";
  return (
    <>
      <h3>Outlook</h3>
      {queued && (
        <Loaded query={eta}>
          {(e) => (
            <p>
              Number {e.position} in line; should start around {formatTime(e.startsAt)} and finish around {formatTime(e.finishesAt)} ({e.effectiveConcurrency} running at a time,{" "}
              {formatMs(e.meanDurationMs)} each).
            </p>
          )}
        </Loaded>
      )}
      {noHistory ? (
        <p className="muted">No success prediction yet: the predictor learns from the last day's finished attempts.</p>
      ) : (
        <Loaded query={prediction}>
          {(p) => (
            <p>
              {formatShare(p.probability)} likely to succeed on attempt {attempt}
              <span className="muted"> (learnt from {p.model.samples} attempts; all jobs succeed {formatShare(p.model.baseRate)} of the time)</span>.
            </p>
          )}
        </Loaded>
      )}
    </>
  );
}

/** The jobs this one waits for and that wait for it, drawn when there are any. */
function Dependencies({ id, onOpen }: { id: string; onOpen?: (id: string) => void }) {
  const graph = useQuery({ queryKey: ["job", id, "graph"], queryFn: () => get<JobGraph>(`/api/v1/jobs/${id}/graph`) });
  if (!graph.data || graph.data.nodes.length < 2) return null;
  return (
    <>
      <h3>Dependencies</h3>
      <Suspense fallback={<Loading />}>
        <DependencyGraph graph={graph.data} onOpen={onOpen} />
      </Suspense>
    </>
  );
}

/** The job's timeline, drawn from its audit trail: every transition with its time and actor. */
function Timeline({ job }: { job: Job }) {
  const trail = useQuery({ queryKey: ["job", job.id, "events", job.updatedAt], queryFn: () => get<JobEvents>(`/api/v1/jobs/${job.id}/events`) });
  return (
    <>
      <h3>Timeline</h3>
      <Loaded query={trail}>
        {(t) =>
          t.events.length === 0 ? (
            <ol className="timeline">
              <li>Submitted {formatTime(job.createdAt)}</li>
              <li>Started {formatTime(job.startedAt)}</li>
              <li>Finished {formatTime(job.finishedAt)}</li>
            </ol>
          ) : (
            <ol className="timeline">
              {t.events.map((e) => (
                <li key={e.id} className={`event event-${e.kind}`}>
                  <time dateTime={e.at}>{formatTime(e.at)}</time> {describeEvent(e)}
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
    </>
  );
}

/** A job's full story: data, timeline, every attempt, and what can be done with it. */
export function JobDrawer({ id, onClose, onOpen }: { id: string; onClose: () => void; onOpen?: (id: string) => void }) {
  const job = useQuery({ queryKey: ["job", id], queryFn: () => get<JobWithAttempts>(`/api/v1/jobs/${id}`) });
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      opener?.focus();
    };
  }, [onClose]);
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <div className="drawer" role="dialog" aria-modal="true" aria-labelledby="drawer-title" tabIndex={-1} ref={panel} onClick={(e) => e.stopPropagation()}>
        <div className="section-head">
          <h2 id="drawer-title">
            Job <code>{id}</code>
          </h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close job details">
            ✕
          </button>
        </div>
        <Loaded query={job}>
          {(j) => (
            <>
              <p>
                <span className={`state state-${j.state}`}>{j.state}</span> · {j.queue} · {j.type} · priority {j.priority} · attempt {j.attempt} of {j.maxAttempts}
              </p>
              <Actions job={j} onCloned={(clone) => onOpen?.(clone)} />
              {!(FINAL_STATES as readonly string[]).includes(j.state) && <Outlook job={j} />}
              <Dependencies id={j.id} onOpen={onOpen} />
              <Timeline job={j} />
              <h3>Attempts</h3>
              {j.attempts.length === 0 ? (
                <p className="muted">Not run yet.</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">#</th>
                        <th scope="col">Outcome</th>
                        <th scope="col">Started</th>
                        <th scope="col">Duration</th>
                        <th scope="col">Error</th>
                      </tr>
                    </thead>
                    <tbody>
                      {j.attempts.map((a) => (
                        <tr key={a.attempt}>
                          <td>{a.attempt}</td>
                          <td>{a.outcome ?? "running"}</td>
                          <td>{formatTime(a.startedAt)}</td>
                          <td>{formatMs(a.durationMs)}</td>
                          <td>{a.error ? `${a.error.name}: ${a.error.message}` : "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {j.error && <JobInsight id={j.id} attempt={j.attempt} />}
              <h3>Payload</h3>
              <pre>{json(j.payload)}</pre>
              <h3>Result</h3>
              <pre>{json(j.result)}</pre>
              <h3>Error</h3>
              <pre>{j.error ? (j.error.stack ?? `${j.error.name}: ${j.error.message}`) : "—"}</pre>
            </>
          )}
        </Loaded>
      </div>
    </div>
  );
}
