import { sql } from "drizzle-orm";
import { api } from "./api";
import { db } from "./db";

const created: string[] = [];

/** Creates a schedule through the API (and remembers it for `deleteSchedules`); fails loudly on a 4xx. */
export async function createSchedule(body: Record<string, unknown>) {
  const res = await api("POST", "/api/v1/schedules", body);
  if (res.status !== 201) throw new Error(`schedule not created: ${res.status} ${JSON.stringify(res.body)}`);
  created.push(res.body.id);
  return res.body;
}

/** Remembers a schedule made another way, for `deleteSchedules`. */
export function track(id: string): void {
  created.push(id);
}

/** Deletes the schedules this file created, so a later tick in it does not claim them. */
export async function deleteSchedules(): Promise<void> {
  for (const id of created.splice(0)) await api("DELETE", `/api/v1/schedules/${id}`);
}

/** A queue's jobs in Postgres by run time: what the ticks made. */
export async function jobsOf(queue: string) {
  return db(async (d) => {
    const r = await d.execute(sql`select id, state, run_at, idempotency_key from jobs where queue = ${queue} order by run_at, idempotency_key`);
    return (r.rows as { id: string; state: string; run_at: string | Date; idempotency_key: string | null }[]).map((row) => ({
      id: row.id,
      state: row.state,
      runAt: new Date(row.run_at).toISOString(),
      key: row.idempotency_key,
    }));
  });
}

/** The fire time in a job's idempotency key `schedule:<id>:<fire time>`. */
export const fireOf = (key: string | null) => key?.split(":").slice(2).join(":") ?? null;
