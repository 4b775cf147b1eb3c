import { useQuery } from "@tanstack/react-query";
import { useSearch, useLocation } from "wouter";
import { get } from "../api";
import type { Queue } from "../types";

/** Filters live in the address bar, so a filtered view can be shared and survives a reload. */
export function useFilters<K extends string>(names: readonly K[]): [Record<K, string>, (patch: Partial<Record<K, string>>) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const values = Object.fromEntries(names.map((n) => [n, params.get(n) ?? ""])) as Record<K, string>;
  const set = (patch: Partial<Record<K, string>>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch) as [K, string][]) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const text = next.toString();
    navigate(text ? `${location}?${text}` : location, { replace: true });
  };
  return [values, set];
}

/** datetime-local text (local time) to an ISO instant for the API. */
export const toIso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

export function QueueSelect({ value, onChange }: { value: string; onChange: (queue: string) => void }) {
  const queues = useQuery({ queryKey: ["queues"], queryFn: () => get<{ queues: Queue[] }>("/api/v1/queues") });
  return (
    <label>
      Queue
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All queues</option>
        {queues.data?.queues.map((q) => (
          <option key={q.name} value={q.name}>
            {q.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TextFilter({ label, value, onChange, placeholder }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string }) {
  return (
    <label>
      {label}
      <input type="search" defaultValue={value} placeholder={placeholder} onBlur={(e) => onChange(e.target.value.trim())} onKeyDown={(e) => e.key === "Enter" && onChange(e.currentTarget.value.trim())} />
    </label>
  );
}

export function TimeFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <input type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
