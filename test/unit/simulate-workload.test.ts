import { describe, expect, it } from "vitest";
import { prng } from "../../bench/lib/prng";
import { simulatePayloadSchema } from "../../src/core/simulation";
import { arrivals, dayShape, drawJob, PROFILES, simulatedHour } from "../../scripts/simulate/workload";

describe("the simulator's workload", () => {
  it("has ten queues whose shares add up to all the traffic, each job a valid simulate payload", () => {
    expect(PROFILES).toHaveLength(10);
    expect(PROFILES.reduce((n, p) => n + p.share, 0)).toBeCloseTo(1, 10);
    for (const p of PROFILES) for (const j of p.jobs) expect(simulatePayloadSchema.safeParse(j.payload).success).toBe(true);
  });

  it("follows a working day: quiet at night, peaks mid-morning and mid-afternoon", () => {
    expect(dayShape(3)).toBeLessThan(dayShape(10) / 5);
    expect(dayShape(10)).toBe(1);
    expect(dayShape(15)).toBe(1);
    expect(dayShape(12)).toBeLessThan(dayShape(10));
    // A run starts at 06:00 and a day lasts `dayMs`.
    expect(simulatedHour(0, 600_000)).toBe(6);
    expect(simulatedHour(300_000, 600_000)).toBe(18);
    expect(simulatedHour(600_000, 600_000)).toBe(6);
  });

  it("spreads arrivals over the queues by share, carrying fractions so small queues get theirs", () => {
    const carry = new Map<string, number>();
    const r = prng(3);
    const totals = new Map<string, number>();
    for (let step = 0; step < 600; step++) for (const [q, n] of arrivals(10, 10, 1000, carry, r)) totals.set(q, (totals.get(q) ?? 0) + n);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    // 10 jobs/s at the peak hour for 600 s, ±20% per step.
    expect(all).toBeGreaterThan(5400);
    expect(all).toBeLessThan(6600);
    expect(totals.get("exports")! / all).toBeCloseTo(0.02, 2);
    expect(totals.get("emails")! / all).toBeCloseTo(0.2, 2);
  });

  it("draws a queue's kinds of job by weight", () => {
    const emails = PROFILES.find((p) => p.queue === "emails")!;
    const r = prng(9);
    const names = Array.from({ length: 5000 }, () => drawJob(emails, r).name);
    expect(names.filter((n) => n === "send-receipt").length / names.length).toBeCloseTo(0.6, 1);
  });
});
