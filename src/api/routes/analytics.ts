import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { attemptBreakdown, durationSummary, slaSummary } from "../../core/analytics";
import { queueHealth } from "../../core/queue-health";
import { bucketStart, granularityForStep, granularityForWindow } from "../../core/time-buckets";
import { queueActivity, rollupSeries, rollupTotals, submissionsByHour, timeline, topErrors, type Window } from "../../db/queries/analytics";
import type { Db } from "../../db/client";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { access, errors, jsonResponse } from "../openapi/route-kit";
import { attemptsSchema, byHourSchema, durationsSchema, overviewSchema, slaSchema, throughputSchema, timelineSchema, topErrorsSchema } from "../schemas/analytics-responses";
import { byHourQuerySchema, listWindowQuerySchema, slaQuerySchema, throughputQuerySchema, windowQuerySchema } from "../schemas/analytics-query";

const tags = ["analytics"];
const iso = (d: Date) => d.toISOString();
const totalsFor = (db: Db, w: Window) => rollupTotals(db, granularityForWindow(w.to.getTime() - w.from.getTime()), w);

const readBase = { method: "get", tags, ...access("read") } as const;

const overview = createRoute({
  method: "get",
  path: "/overview",
  tags,
  summary: "Every queue at a glance: backlog, running, today's outcomes, average run time and a health colour",
  ...access("read"),
  responses: { 200: jsonResponse(overviewSchema, "The queues."), ...errors() },
});

const throughput = createRoute({
  ...readBase,
  path: "/throughput",
  summary: "Submitted, completed, failed, retried and dead jobs per step",
  request: { query: throughputQuerySchema },
  responses: { 200: jsonResponse(throughputSchema, "Submitted, completed, failed, retried and dead jobs per step"), ...errors(400) },
});

const durations = createRoute({
  ...readBase,
  path: "/durations",
  summary: "Run-time histogram with p50, p95 and p99",
  request: { query: windowQuerySchema },
  responses: { 200: jsonResponse(durationsSchema, "Run-time histogram with p50, p95 and p99"), ...errors(400) },
});

const attempts = createRoute({
  ...readBase,
  path: "/attempts",
  summary: "Success by attempt number",
  request: { query: windowQuerySchema },
  responses: { 200: jsonResponse(attemptsSchema, "Success by attempt number"), ...errors(400) },
});

const sla = createRoute({
  ...readBase,
  path: "/sla",
  summary: "Share of completed jobs that finished within a latency target (submit to completion)",
  request: { query: slaQuerySchema },
  responses: { 200: jsonResponse(slaSchema, "Share of completed jobs that finished within a latency target (submit to completion)"), ...errors(400) },
});

const byHour = createRoute({
  ...readBase,
  path: "/submissions-by-hour",
  summary: "Submissions by hour of day",
  request: { query: byHourQuerySchema },
  responses: { 200: jsonResponse(byHourSchema, "Submissions by hour of day"), ...errors(400) },
});

const errorsRoute = createRoute({
  ...readBase,
  path: "/errors",
  summary: "The most frequent error fingerprints",
  request: { query: listWindowQuerySchema },
  responses: { 200: jsonResponse(topErrorsSchema, "The most frequent error fingerprints"), ...errors(400) },
});

const timelineRoute = createRoute({
  ...readBase,
  path: "/timeline",
  summary: "Attempts that started in a window, for a Gantt chart",
  request: { query: listWindowQuerySchema },
  responses: { 200: jsonResponse(timelineSchema, "Attempts that started in a window, for a Gantt chart"), ...errors(400) },
});

export const analyticsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(overview, async (c) => {
    const now = Date.now();
    const rows = await queueActivity(c.var.db, new Date(bucketStart(now, "day")), tenantOf(c));
    return c.json(
      {
        queues: rows.map((r) => {
          const oldestQueuedAgeMs = r.oldestQueuedAt ? Math.max(0, now - r.oldestQueuedAt.getTime()) : null;
          return {
            queue: r.queue,
            paused: r.paused,
            concurrency: r.concurrency,
            rateLimit: r.rateLimit,
            mode: r.mode,
            pending: r.waiting + r.scheduled + r.queued,
            waiting: r.waiting,
            scheduled: r.scheduled,
            queued: r.queued,
            running: r.running,
            completedToday: r.completed,
            failedToday: r.failed,
            deadToday: r.dead,
            avgDurationMs: r.durationCount === 0 ? null : r.durationSumMs / r.durationCount,
            oldestQueuedAgeMs,
            health: queueHealth({ completedToday: r.completed, failedToday: r.failed, oldestReadyMs: oldestQueuedAgeMs, paused: r.paused }),
          };
        }),
      },
      200,
    );
  })
  .openapi(throughput, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    const series = await rollupSeries(c.var.db, granularityForStep(q.step), q.step, q);
    return c.json(
      {
        from: iso(q.from),
        to: iso(q.to),
        stepMs: q.step,
        series: series.map((s) => ({ start: iso(s.start), submitted: s.submitted, completed: s.completed, failed: s.failed, retried: s.retried, dead: s.dead })),
      },
      200,
    );
  })
  .openapi(durations, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    const t = await totalsFor(c.var.db, q);
    return c.json({ from: iso(q.from), to: iso(q.to), ...durationSummary(t.durationBuckets, t.durationCount, t.durationSumMs) }, 200);
  })
  .openapi(attempts, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    const t = await totalsFor(c.var.db, q);
    return c.json({ from: iso(q.from), to: iso(q.to), ...attemptBreakdown(t.completedByAttempt, t.dead) }, 200);
  })
  .openapi(sla, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    const t = await totalsFor(c.var.db, q);
    return c.json({ from: iso(q.from), to: iso(q.to), ...slaSummary(t.latencyBuckets, q.targetMs) }, 200);
  })
  .openapi(byHour, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    return c.json({ from: iso(q.from), to: iso(q.to), tz: q.tz, hours: await submissionsByHour(c.var.db, q, q.tz) }, 200);
  })
  .openapi(errorsRoute, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    const found = await topErrors(c.var.db, q, q.limit);
    return c.json({ from: iso(q.from), to: iso(q.to), errors: found.map((e) => ({ ...e, lastSeenAt: iso(e.lastSeenAt) })) }, 200);
  })
  .openapi(timelineRoute, async (c) => {
    const q = { ...c.req.valid("query"), tenant: tenantOf(c) };
    const found = await timeline(c.var.db, q, q.limit);
    return c.json(
      { from: iso(q.from), to: iso(q.to), attempts: found.map((a) => ({ ...a, startedAt: iso(a.startedAt), finishedAt: a.finishedAt && iso(a.finishedAt) })) },
      200,
    );
  });

/** The route definitions, whose schemas give the typed client its types. */
export type AnalyticsRouteDefs = {
  overview: typeof overview;
  throughput: typeof throughput;
  durations: typeof durations;
  attempts: typeof attempts;
  sla: typeof sla;
  submissionsByHour: typeof byHour;
  errors: typeof errorsRoute;
  timeline: typeof timelineRoute;
};
