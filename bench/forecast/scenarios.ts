import type { HourlyCount } from "../../src/core/forecast";
import { prng } from "../lib/prng";

/**
 * Synthetic hourly submission histories shaped like real queues: each is a level per hour times a
 * daily and weekly shape, with growth, noise, and the irregular events a forecast must live with.
 */
export interface Scenario {
  name: string;
  description: string;
  history: HourlyCount[];
}

const HOUR = 3_600_000;
/** A Monday, 00:00 UTC. */
const START = Date.UTC(2026, 0, 5);

interface Shape {
  days: number;
  base: number;
  /** Multiplier by UTC hour and weekday (0 = Sunday). */
  shape: (hour: number, weekday: number) => number;
  /** Relative change of the level per day. */
  growth?: number;
  /** Relative size of independent hourly noise. */
  noise?: number;
  /** Chance per hour of a burst of 3–10× (a backfill, a marketing email). */
  burstChance?: number;
  seed: number;
}

function generate(s: Shape): HourlyCount[] {
  const r = prng(s.seed);
  return Array.from({ length: s.days * 24 }, (_, i) => {
    const start = START + i * HOUR;
    const d = new Date(start);
    const level = s.base * (1 + (s.growth ?? 0) * (i / 24));
    const burst = r() < (s.burstChance ?? 0) ? 3 + 7 * r() : 1;
    const noise = 1 + (s.noise ?? 0) * (r() * 2 - 1);
    return { start, count: Math.max(0, Math.round(level * s.shape(d.getUTCHours(), d.getUTCDay()) * noise * burst)) };
  });
}

const weekday = (w: number) => w !== 0 && w !== 6;
/** Business traffic: a morning ramp, a lunch dip, quiet nights and weekends. */
const office = (h: number, w: number) => (weekday(w) ? (h >= 8 && h < 18 ? (h === 12 ? 2 : 3) : h >= 6 && h < 21 ? 1 : 0.2) : 0.3);
/** Consumer traffic: evenings and weekends busiest. */
const consumer = (h: number, w: number) => (0.4 + Math.max(0, Math.sin(((h - 10) / 24) * 2 * Math.PI)) * 2) * (weekday(w) ? 1 : 1.6);
/** Batch jobs: a nightly run at 02:00 and little else. */
const nightly = (h: number) => (h === 2 ? 40 : h === 3 ? 10 : 0.5);

export const SCENARIOS: Scenario[] = [
  { name: "office", description: "office hours, ±30% noise, 8 weeks", history: generate({ days: 56, base: 200, shape: office, noise: 0.3, seed: 1 }) },
  { name: "growing", description: "office hours growing 2% a day, ±20% noise", history: generate({ days: 56, base: 100, shape: office, growth: 0.02, noise: 0.2, seed: 2 }) },
  { name: "consumer", description: "evening and weekend peaks, ±30% noise", history: generate({ days: 56, base: 150, shape: consumer, noise: 0.3, seed: 3 }) },
  { name: "nightly", description: "a nightly batch at 02:00, ±10% noise", history: generate({ days: 56, base: 50, shape: nightly, noise: 0.1, seed: 4 }) },
  { name: "bursty", description: "office hours with 2% of hours bursting 3–10×", history: generate({ days: 56, base: 200, shape: office, noise: 0.2, burstChance: 0.02, seed: 5 }) },
  { name: "young", description: "office hours, only 10 days of history", history: generate({ days: 10, base: 200, shape: office, noise: 0.3, seed: 6 }) },
];
