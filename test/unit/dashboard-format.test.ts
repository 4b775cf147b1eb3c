import { describe, expect, it } from "vitest";
import { formatMs, formatShare, formatUsd, toCsv } from "../../dashboard/src/format";
import { groupInsights } from "../../dashboard/src/insights";
import { fillHours, fillSeries } from "../../dashboard/src/series";
import type { Insight } from "../../dashboard/src/types";

describe("dashboard CSV export", () => {
  const columns = [
    { header: "id", value: (r: { id: string; error: string; payload: unknown }) => r.id },
    { header: "error", value: (r: { error: string }) => r.error },
    { header: "payload", value: (r: { payload: unknown }) => r.payload },
  ];

  it("writes a header and one CRLF line per row", () => {
    expect(toCsv(columns, [{ id: "a", error: "boom", payload: null }])).toBe("id,error,payload\r\na,boom,\r\n");
  });

  it("quotes fields with commas, quotes and line breaks, and writes objects as JSON", () => {
    const csv = toCsv(columns, [{ id: "b", error: 'broke, "badly"\nagain', payload: { to: "x" } }]);
    expect(csv).toBe('id,error,payload\r\nb,"broke, ""badly""\nagain","{""to"":""x""}"\r\n');
  });
});

describe("dashboard chart data", () => {
  it("fills the steps without jobs with zeros, aligned to the step", () => {
    const filled = fillSeries({
      from: "2026-11-23T10:00:30.000Z",
      to: "2026-11-23T10:03:00.000Z",
      stepMs: 60_000,
      series: [{ start: "2026-11-23T10:01:00.000Z", submitted: 3, completed: 2, failed: 1, retried: 0, dead: 0 }],
    });
    expect(filled.map((p) => [p.start, p.submitted])).toEqual([
      ["2026-11-23T10:00:00.000Z", 0],
      ["2026-11-23T10:01:00.000Z", 3],
      ["2026-11-23T10:02:00.000Z", 0],
    ]);
  });

  it("gives all 24 hours of the day", () => {
    const hours = fillHours([{ hour: 15, submitted: 7 }]);
    expect(hours).toHaveLength(24);
    expect(hours[15]).toEqual({ hour: 15, submitted: 7 });
    expect(hours[0]).toEqual({ hour: 0, submitted: 0 });
  });

  it("formats durations and shares for people", () => {
    expect([formatMs(null), formatMs(12.4), formatMs(1500), formatMs(90_000), formatMs(7_200_000)]).toEqual(["—", "12 ms", "1.5 s", "1.5 min", "2.0 h"]);
    expect([formatShare(null), formatShare(0.9876)]).toEqual(["—", "98.8%"]);
  });
});

describe("dashboard failure groups", () => {
  const insight = (fingerprint: string, occurrences: number, last_seen_at: string, reasoning: string) =>
    ({ fingerprint, occurrences, last_seen_at, reasoning }) as Insight;

  it("adds up the windows of one fingerprint, keeps the newest verdict, and puts the most frequent first", () => {
    const groups = groupInsights([
      insight("a", 2, "2026-11-23T10:00:00.000Z", "old"),
      insight("b", 5, "2026-11-23T10:05:00.000Z", "only"),
      insight("a", 4, "2026-11-23T10:20:00.000Z", "new"),
    ]);
    expect(groups.map((g) => [g.fingerprint, g.occurrences, g.latest.reasoning])).toEqual([
      ["a", 6, "new"],
      ["b", 5, "only"],
    ]);
  });
});

describe("dashboard money", () => {
  it("shows cents and up as usual, smaller amounts to three significant digits, and no exponents", () => {
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(0.01)).toBe("$0.01");
    expect(formatUsd(0.000123456)).toBe("$0.000123");
    expect(formatUsd(9.59e-7)).toBe("< $0.000001");
  });
});

describe("dependency graph layout", () => {
  it("puts dependencies above the jobs that wait for them, side by side where they share a layer", async () => {
    const { layoutGraph } = await import("../../dashboard/src/graph-layout");
    const node = (id: string, role: "self" | "ancestor" | "descendant") => ({ id, queue: "q", type: "t", state: "queued" as const, role });
    const [a, b, c] = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b", "00000000-0000-4000-8000-00000000000c"];
    const at = layoutGraph({ id: a, nodes: [node(a, "self"), node(b, "descendant"), node(c, "descendant")], edges: [{ from: a, to: b }, { from: a, to: c }], truncated: false });
    expect(at.get(a)!.y).toBeLessThan(at.get(b)!.y);
    expect(at.get(b)!.y).toBe(at.get(c)!.y);
    expect(at.get(b)!.x).not.toBe(at.get(c)!.x);
  });
});

describe("audit events in words", () => {
  it("says what happened, by whom, and what came with it", async () => {
    const { describeEvent } = await import("../../dashboard/src/job-events");
    const base = { id: "1", jobId: "00000000-0000-4000-8000-000000000001", queue: "q", type: "t", at: "2026-11-23T10:00:00.000Z" };
    expect(describeEvent({ ...base, kind: "submitted", attempt: 0, actor: "key:ci", data: { state: "queued", replacedPending: false } })).toBe("submitted by key:ci — as queued");
    expect(describeEvent({ ...base, kind: "failed", attempt: 2, actor: "worker:ab12", data: { outcome: "timeout", error: "took too long" } })).toBe(
      "failed (attempt 2) by worker:ab12 — timeout: took too long",
    );
    expect(describeEvent({ ...base, kind: "dead_lettered", attempt: 3, actor: "worker:ab12", data: null })).toBe("dead lettered (attempt 3) by worker:ab12");
    expect(describeEvent({ ...base, kind: "cancelled", attempt: 0, actor: "edgeq", data: { reason: "dependency x is dead" } })).toBe("cancelled by edgeq — dependency x is dead");
  });
});
