import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState, type FormEvent } from "react";
import { checkCron, CronSchedule, isValidTimeZone } from "../../../src/core/cron";
import { get, post } from "../api";
import { DataTable } from "../components/DataTable";
import { Empty, Loaded } from "../components/states";
import { formatTime } from "../format";
import type { Schedule } from "../types";

const PREVIEW_COUNT = 5;

function RowActions({ schedule }: { schedule: Schedule }) {
  const client = useQueryClient();
  const act = useMutation({
    mutationFn: (action: "pause" | "resume" | "trigger") => post(`/api/v1/schedules/${schedule.id}/${action}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["schedules"] }),
  });
  return (
    <span className="actions">
      <button type="button" onClick={() => act.mutate(schedule.enabled ? "pause" : "resume")} disabled={act.isPending} aria-label={`${schedule.enabled ? "Pause" : "Resume"} ${schedule.name}`}>
        {schedule.enabled ? "Pause" : "Resume"}
      </button>
      <button type="button" onClick={() => act.mutate("trigger")} disabled={act.isPending} aria-label={`Run ${schedule.name} now`}>
        Run now
      </button>
      {act.error && <span role="alert" className="error"> {act.error.message}</span>}
    </span>
  );
}

const col = createColumnHelper<Schedule>();
const columns = [
  col.accessor("name", { header: "Name" }),
  col.accessor("cron", { header: "Cron", cell: (c) => <code>{c.getValue()}</code> }),
  col.accessor("timezone", { header: "Zone" }),
  col.accessor((s) => `${s.job.queue} · ${s.job.type}`, { id: "job", header: "Job" }),
  col.accessor("nextRunAt", { header: "Next fire", cell: (c) => (c.row.original.enabled ? formatTime(c.getValue()) : "paused") }),
  col.accessor("lastJob", { header: "Last job", cell: (c) => (c.getValue() ? `${c.getValue()!.state ?? "pruned"} · ${formatTime(c.row.original.lastRunAt)}` : "—") }),
  col.display({ id: "actions", header: "Actions", cell: (c) => <RowActions schedule={c.row.original} /> }),
];

/** The next fire times of what is typed, computed by the same cron code the server runs. */
function preview(cron: string, zone: string): { error: string } | { times: number[] } {
  const problem = checkCron(cron);
  if (problem) return { error: problem.field ? `${problem.field}: ${problem.message}` : problem.message };
  if (!isValidTimeZone(zone)) return { error: `${zone} is not a time zone` };
  return { times: new CronSchedule(cron, zone).take(Date.now(), PREVIEW_COUNT) };
}

function CreateSchedule() {
  const client = useQueryClient();
  const [form, setForm] = useState({ name: "", cron: "*/5 * * * *", timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, queue: "default", type: "echo", payload: "{}" });
  const next = useMemo(() => preview(form.cron.trim(), form.timezone.trim()), [form.cron, form.timezone]);
  const create = useMutation({
    mutationFn: () =>
      post<Schedule>("/api/v1/schedules", { name: form.name, cron: form.cron.trim(), timezone: form.timezone.trim(), job: { queue: form.queue, type: form.type, payload: JSON.parse(form.payload) as unknown } }),
    onSuccess: () => {
      setForm((f) => ({ ...f, name: "" }));
      void client.invalidateQueries({ queryKey: ["schedules"] });
    },
  });
  const field = (name: keyof typeof form, label: string) => (
    <label>
      {label}
      <input required value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-title">
      <h2 id="new-title">New schedule</h2>
      <div className="filters">
        {field("name", "Name")}
        {field("cron", "Cron (5 or 6 fields)")}
        {field("timezone", "Time zone")}
        {field("queue", "Queue")}
        {field("type", "Job type")}
        <label>
          Payload (JSON)
          <textarea rows={2} value={form.payload} onChange={(e) => setForm({ ...form, payload: e.target.value })} />
        </label>
      </div>
      <div aria-live="polite">
        {"error" in next ? (
          <p className="error">{next.error}</p>
        ) : (
          <p>
            Next fires: {next.times.map((t) => new Date(t).toLocaleString(undefined, { timeZone: form.timezone.trim(), dateStyle: "short", timeStyle: "short" })).join(" · ")} ({form.timezone})
          </p>
        )}
      </div>
      <button type="submit" disabled={create.isPending || "error" in next}>
        Create schedule
      </button>
      {create.error && (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

export default function Schedules() {
  const schedules = useQuery({ queryKey: ["schedules"], queryFn: () => get<{ schedules: Schedule[] }>("/api/v1/schedules") });
  return (
    <>
      <h1>Schedules</h1>
      <Loaded query={schedules}>
        {(data) =>
          data.schedules.length === 0 ? (
            <Empty>No schedules yet. Create one below to enqueue a job on a cron expression.</Empty>
          ) : (
            <DataTable data={data.schedules} columns={columns} caption="Schedules" rowId={(s) => s.id} />
          )
        }
      </Loaded>
      <CreateSchedule />
    </>
  );
}
