/**
 * The forecast's error on held-back history: for each scenario, fit on all but the last week, forecast
 * that week hour by hour, and print the weighted absolute percentage error (WAPE) beside the
 * seasonal-naive forecast's ("the same hour last week"). Also the error of the week's total, which is
 * what capacity planning reads. Run: npm run bench:forecast
 */
import { backtest, fitSeasonal, forecastTotal } from "../../src/core/forecast";
import { SCENARIOS } from "./scenarios";

const HELD_BACK = 168;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const rows = SCENARIOS.map((s) => {
  const result = backtest(s.history, HELD_BACK);
  const model = fitSeasonal(s.history.slice(0, s.history.length - HELD_BACK));
  const actualWeek = s.history.slice(-HELD_BACK).reduce((n, p) => n + p.count, 0);
  const weekError = model ? Math.abs(forecastTotal(model, HELD_BACK) - actualWeek) / actualWeek : null;
  return {
    scenario: s.name,
    history: `${Math.round(s.history.length / 24)} d`,
    "hourly WAPE": result ? pct(result.wape) : "n/a",
    "naive WAPE": result ? pct(result.naiveWape) : "n/a",
    "week total error": weekError === null ? "n/a" : pct(weekError),
    shape: s.description,
  };
});
console.table(rows);
