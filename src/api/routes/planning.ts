import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import { estimateCost, OPERATIONS, unitPricesSchema, type UnitPrices, type UsageCounters } from "../../core/cost";
import { backtest, densify, fitSeasonal, forecastDays, forecastTotal } from "../../core/forecast";
import { granularityForWindow } from "../../core/time-buckets";
import { hourlySubmissions, totalsByQueueAndType, type RollupTotals } from "../../db/queries/analytics";
import { listQueues } from "../../db/queries/queues";
import { recommendConcurrency } from "../../insights/capacity";
import { log } from "../../log";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { access, errors, jsonResponse } from "../openapi/route-kit";
import { costQuerySchema, forecastQuerySchema } from "../schemas/analytics-query";
import { costReportSchema, forecastSchema } from "../schemas/analytics-responses";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Forecasts are fitted on this much hourly history. */
const HISTORY_DAYS = 56;
const iso = (t: number | Date) => new Date(t).toISOString();

const cost = createRoute({
  method: "get",
  path: "/cost",
  tags: ["analytics"],
  summary: "Estimated cost per queue and job type: compute, attempts wasted on failures, and what retries cost",
  description:
    "Unit prices default to Cloudflare's and Neon's published rates; the EDGEQ_UNIT_PRICES variable (JSON) replaces them, and query parameters replace those for one request.",
  ...access("read"),
  request: { query: costQuerySchema },
  responses: { 200: jsonResponse(costReportSchema, "The most expensive job types first."), ...errors(400) },
});

const forecast = createRoute({
  method: "get",
  path: "/forecast",
  tags: ["analytics"],
  summary: "Job volume per queue for the coming days, the concurrency its peak needs, and the queues at risk of overload",
  ...access("read"),
  request: { query: forecastQuerySchema },
  responses: { 200: jsonResponse(forecastSchema, "A forecast per queue."), ...errors(400) },
});

/** The configured prices: defaults, then EDGEQ_UNIT_PRICES; a malformed variable is logged and ignored. */
function configuredPrices(raw: string | undefined): Partial<UnitPrices> {
  if (!raw) return {};
  try {
    return unitPricesSchema.partial().parse(JSON.parse(raw));
  } catch (error) {
    log("warn", "EDGEQ_UNIT_PRICES is not valid; using the default unit prices", { error: String(error) });
    return {};
  }
}

type QueueForecast = z.infer<typeof forecastSchema>["queues"][number];

const countersOf = (t: RollupTotals): UsageCounters => ({ submitted: t.submitted, attempts: t.durationCount, failedAttempts: t.failed, runMs: t.durationSumMs });

/** The route definitions, whose schemas give the typed client its types. */
export type PlanningRouteDefs = { cost: typeof cost; forecast: typeof forecast };

export const planningRoutes = new OpenAPIHono<AppEnv>()
  .openapi(cost, async (c) => {
    const { from, to, queue, type, ...overrides } = c.req.valid("query");
    const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    const prices = unitPricesSchema.parse({ ...configuredPrices(c.env.EDGEQ_UNIT_PRICES), ...given });
    const rows = await totalsByQueueAndType(c.var.db, granularityForWindow(to.getTime() - from.getTime()), { from, to, queue, type, tenant: tenantOf(c) });
    /** The counters with their estimate; the usage breakdown apart, since only rows show it. */
    const priced = (counters: UsageCounters) => {
      const { usage, ...estimate } = estimateCost(counters, prices);
      return { fields: { ...counters, ...estimate }, usage };
    };
    const byType = rows
      .map((r) => {
        const { fields, usage } = priced(countersOf(r));
        return { queue: r.queue, type: r.type, ...fields, usage, costPerThousandJobs: r.submitted > 0 ? (fields.cost.total / r.submitted) * 1000 : null };
      })
      .sort((a, b) => b.cost.total - a.cost.total);
    const sum = (key: keyof UsageCounters) => rows.reduce((n, r) => n + countersOf(r)[key], 0);
    const totals = priced({ submitted: sum("submitted"), attempts: sum("attempts"), failedAttempts: sum("failedAttempts"), runMs: sum("runMs") }).fields;
    return c.json({ from: iso(from), to: iso(to), prices, assumptions: { ...OPERATIONS }, totals, byType }, 200);
  })
  .openapi(forecast, async (c) => {
    const { queue: only, days, targetLatencyMs } = c.req.valid("query");
    const now = Date.now();
    const end = Math.floor(now / HOUR) * HOUR;
    const tenant = tenantOf(c);
    const window = { from: new Date(end - HISTORY_DAYS * DAY), to: new Date(end), queue: only, tenant };
    const [queues, points, recent] = await Promise.all([
      listQueues(c.var.db, tenant),
      hourlySubmissions(c.var.db, window),
      totalsByQueueAndType(c.var.db, "day", { from: new Date(end - 7 * DAY), to: new Date(now), queue: only, tenant }),
    ]);
    const results = queues
      .filter((q) => only === undefined || q.name === only)
      .map((q): QueueForecast => {
        const series = densify(
          points.filter((p) => p.queue === q.name),
          end,
        );
        const model = fitSeasonal(series);
        const base = { queue: q.name, historyHours: series.length, currentConcurrency: q.concurrency };
        if (!model) {
          return {
            ...base,
            status: "not_enough_history",
            levelPerHour: null,
            trendPerDay: null,
            next7Days: null,
            next30Days: null,
            days: [],
            neededConcurrency: null,
            atRisk: false,
            reasoning: `${series.length} complete hours of submissions so far; a forecast needs a full day`,
            backtest: null,
          };
        }
        const ahead = forecastDays(model, days);
        const peak = ahead.reduce((a, d) => (d.peakHourly > a.peakHourly ? d : a));
        const mine = recent.filter((r) => r.queue === q.name);
        const runs = mine.reduce((n, r) => n + r.durationCount, 0);
        const finished = mine.reduce((n, r) => n + r.completed + r.dead, 0);
        const load = {
          arrivalPerSec: peak.peakHourly / 3600,
          serviceMs: runs === 0 ? 0 : mine.reduce((n, r) => n + r.durationSumMs, 0) / runs,
          attemptsPerJob: finished === 0 ? 1 : Math.max(1, runs / finished),
          backlog: 0,
          throughputPerSec: 0,
          concurrency: q.concurrency,
        };
        const advice = recommendConcurrency(load, targetLatencyMs);
        const atRisk = advice.recommended !== null && advice.recommended > q.concurrency;
        return {
          ...base,
          status: "ok",
          levelPerHour: model.level,
          trendPerDay: model.trendPerDay,
          next7Days: forecastTotal(model, 7 * 24),
          next30Days: forecastTotal(model, 30 * 24),
          days: ahead.map((d) => ({ ...d, day: iso(d.day), peakAt: iso(d.peakAt) })),
          neededConcurrency: advice.recommended,
          atRisk,
          reasoning: `peak of ${Math.round(peak.peakHourly)} jobs an hour expected at ${iso(peak.peakAt)}; ${advice.reasoning}`,
          backtest: backtest(series),
        };
      });
    return c.json({ generatedAt: iso(now), targetLatencyMs, atRisk: results.filter((r) => r.atRisk).map((r) => r.queue), queues: results }, 200);
  });
