// Performance metrics: every number checked against arithmetic written out in the comments, plus the edge cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { computeMetrics, metricsToJson } from "../../experiments/metrics/performance.ts";
import { annualisedReturn, inferPeriodsPerYear, simpleReturns, YEAR_MS } from "../../experiments/metrics/returns.ts";
import { exposureFromTrades, tradeStats } from "../../experiments/metrics/trades.ts";

const close = (a: number | null, b: number, tol = 1e-12) => {
  assert.ok(a !== null, `got null, expected ${b}`);
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} is not within ${tol} of ${b}`);
};
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
/** A daily curve starting 2024-01-01. */
const daily = (equity: number[]) => ({ t: Float64Array.from(equity, (_, i) => T0 + i * DAY), equity: Float64Array.from(equity) });

// The reference series, daily: 100 → 110 → 99 → 108.9 → 119.79.
// returns r = +0.1, −0.1, +0.1, +0.1 (110/100, 99/110, 108.9/99, 119.79/108.9).
const REF = daily([100, 110, 99, 108.9, 119.79]);

test("simple returns are E_i / E_i-1 - 1, one fewer than bars", () => {
  const r = simpleReturns(REF.equity);
  assert.equal(r.length, 4);
  [0.1, -0.1, 0.1, 0.1].forEach((x, i) => close(r[i], x));
});

test("total return, Sharpe and Sortino of the reference series by hand", () => {
  const m = computeMetrics({ curve: REF });
  // total: 119.79 / 100 − 1 = 0.1979
  close(m.totalReturn, 0.1979);
  // daily bars → periods per year = 365 (crypto year)
  close(m.periodsPerYear, 365);
  // mean r = 0.2 / 4 = 0.05; deviations 0.05, −0.15, 0.05, 0.05; Σd² = 3·0.0025 + 0.0225 = 0.03
  // sample var = 0.03 / (4 − 1) = 0.01, sd = 0.1; SR per period = 0.05 / 0.1 = 0.5; annual 0.5·√365 = 9.552486587
  close(m.sharpePerPeriod, 0.5);
  close(m.sharpe, 0.5 * Math.sqrt(365));
  close(m.sharpe, 9.552486587, 1e-9);
  // downside: only −0.1 is below 0; DD = √(0.01 / 4) = 0.05 (all 4 periods in the denominator)
  // Sortino per period = 0.05 / 0.05 = 1; annual √365 = 19.10497317
  close(m.sortino, Math.sqrt(365));
  close(m.sortino, 19.10497317, 1e-9);
  // CAGR over 4 calendar days: 1.1979^(365/4) − 1 = e^(91.25 · 0.1805700238) − 1 ≈ 1.43178e7
  close(m.annualisedReturn, 1.1979 ** (365 / 4) - 1, 1e-9);
});

test("max drawdown of the reference series: 10% from day 1 to day 2, regained on day 4", () => {
  const m = computeMetrics({ curve: REF });
  // running peak 110 (day 1), trough 99 (day 2): 1 − 99/110 = 0.1
  close(m.maxDrawdown.depth, 0.1);
  assert.equal(m.maxDrawdown.peakTime, T0 + DAY);
  assert.equal(m.maxDrawdown.troughTime, T0 + 2 * DAY);
  // day 3 = 108.9 < 110 still under; day 4 = 119.79 ≥ 110 regains the peak
  assert.equal(m.maxDrawdown.recoveryTime, T0 + 4 * DAY);
  assert.equal(m.maxDrawdown.recoveryMs, 3 * DAY, "recovery time runs from the peak");
  assert.equal(m.maxDrawdown.troughToRecoveryMs, 2 * DAY);
  assert.equal(m.longestDrawdownMs, 3 * DAY);
  assert.equal(m.longestDrawdownRecovered, true);
});

test("a drawdown never regained has null recovery, and the open spell counts to the last bar", () => {
  // peak 120 (day 1), trough 90 (day 2): 1 − 90/120 = 0.25; 100 and 110 stay below 120
  const m = computeMetrics({ curve: daily([100, 120, 90, 100, 110]) });
  close(m.maxDrawdown.depth, 0.25);
  assert.equal(m.maxDrawdown.peakTime, T0 + DAY);
  assert.equal(m.maxDrawdown.troughTime, T0 + 2 * DAY);
  assert.equal(m.maxDrawdown.recoveryTime, null);
  assert.equal(m.maxDrawdown.recoveryMs, null);
  assert.equal(m.maxDrawdown.troughToRecoveryMs, null);
  assert.equal(m.longestDrawdownMs, 3 * DAY, "day 1 to the last bar, day 4");
  assert.equal(m.longestDrawdownRecovered, false);
});

test("the longest drawdown need not be the deepest", () => {
  // spell 1: peak 100 (day 0), 90 on day 1 (−10%), regained day 2 → 2 days
  // spell 2: peak 100 (day 2), 99, 98, 99 (−2% at worst), regained by 101 on day 6 → 4 days
  const m = computeMetrics({ curve: daily([100, 90, 100, 99, 98, 99, 101]) });
  close(m.maxDrawdown.depth, 0.1);
  assert.equal(m.maxDrawdown.recoveryMs, 2 * DAY);
  assert.equal(m.longestDrawdownMs, 4 * DAY);
  assert.equal(m.longestDrawdownRecovered, true);
});

test("equal-depth drawdowns report the first; equity equal to the peak counts as regained", () => {
  const m = computeMetrics({ curve: daily([100, 90, 100, 90, 100]) });
  assert.equal(m.maxDrawdown.troughTime, T0 + DAY);
  assert.equal(m.maxDrawdown.recoveryTime, T0 + 2 * DAY);
});

test("flat equity: Sharpe and Sortino are null, no drawdown, zero return", () => {
  const m = computeMetrics({ curve: daily([100, 100, 100, 100]) });
  assert.equal(m.sharpe, null);
  assert.equal(m.sharpePerPeriod, null);
  assert.equal(m.sortino, null);
  assert.equal(m.totalReturn, 0);
  assert.equal(m.annualisedReturn, 0);
  assert.deepEqual(m.maxDrawdown, { depth: 0, peakTime: null, troughTime: null, recoveryTime: null, recoveryMs: null, troughToRecoveryMs: null });
  assert.equal(m.longestDrawdownMs, 0);
});

test("constant non-zero returns have no spread: Sharpe null; no losing period: Sortino null", () => {
  const m = computeMetrics({ curve: daily([100, 101, 102.01, 103.0301]) });
  assert.equal(m.sharpe, null);
  assert.equal(m.sortino, null);
  close(m.totalReturn, 0.030301);
});

test("a single bar: no returns, no annualisation, everything else still defined", () => {
  const m = computeMetrics({ curve: daily([100]) });
  assert.equal(m.periodsPerYear, null);
  assert.equal(m.annualisedReturn, null);
  assert.equal(m.sharpe, null);
  assert.equal(m.totalReturn, 0);
});

test("annualised return compounds over elapsed calendar time in 365-day years", () => {
  // 100 → 121 over exactly two years: √1.21 − 1 = 0.1
  close(annualisedReturn({ t: Float64Array.of(0, 2 * YEAR_MS), equity: Float64Array.of(100, 121) }), 0.1);
  // 100 → 110 in half a year (182.5 days): 1.1² − 1 = 0.21, whatever the bar count in between
  close(annualisedReturn({ t: Float64Array.of(0, 100 * DAY, 182.5 * DAY), equity: Float64Array.of(100, 50, 110) }), 0.21);
});

test("periods per year come from the median bar spacing, or the option", () => {
  // hourly bars with one 3-hour gap: spacings 1,1,3,1 h → median 1 h → 8760 per year
  assert.equal(inferPeriodsPerYear([0, HOUR, 2 * HOUR, 5 * HOUR, 6 * HOUR]), 8760);
  // even number of spacings (1 h, 2 h): median 1.5 h → 5840
  assert.equal(inferPeriodsPerYear([0, HOUR, 3 * HOUR]), 5840);
  const m = computeMetrics({ curve: REF }, { periodsPerYear: 252 });
  close(m.sharpe, 0.5 * Math.sqrt(252));
  assert.equal(m.periodsPerYear, 252);
});

test("a risk-free rate is subtracted per period in Sharpe and is the Sortino target", () => {
  // rf = 0.05: excess returns 0.05, −0.15, 0.05, 0.05 have mean 0 → both ratios 0
  const m = computeMetrics({ curve: REF }, { riskFreePerPeriod: 0.05 });
  close(m.sharpe, 0);
  close(m.sortino, 0);
  // rf = 0.02: excess mean 0.03, sd unchanged 0.1 → 0.3 per period
  close(computeMetrics({ curve: REF }, { riskFreePerPeriod: 0.02 }).sharpePerPeriod, 0.3);
});

test("win rate, profit factor and trade count by hand", () => {
  const tr = (pnl: number) => ({ entryTime: T0, exitTime: T0 + DAY, pnl });
  // wins 10 and 20 of 5 trades → 0.4; break-even 0 is not a win; gross profit 30 / gross loss 20 = 1.5
  assert.deepEqual(tradeStats([10, -5, 0, 20, -15].map(tr)), { tradeCount: 5, winRate: 0.4, profitFactor: 1.5 });
  // no losses: profit factor Infinity
  assert.deepEqual(tradeStats([5, 0].map(tr)), { tradeCount: 2, winRate: 0.5, profitFactor: Infinity });
  // only break-evens: 0 / 0 → null
  assert.deepEqual(tradeStats([0, 0].map(tr)), { tradeCount: 2, winRate: 0, profitFactor: null });
  // no trades: win rate and profit factor null
  assert.deepEqual(tradeStats([]), { tradeCount: 0, winRate: null, profitFactor: null });
  // only losses: 0 / 15 = 0
  assert.deepEqual(tradeStats([-5, -10].map(tr)), { tradeCount: 2, winRate: 0, profitFactor: 0 });
});

test("without trades the trade metrics and exposure are null; with an empty list, count 0", () => {
  const none = computeMetrics({ curve: REF });
  assert.equal(none.tradeCount, null);
  assert.equal(none.winRate, null);
  assert.equal(none.profitFactor, null);
  assert.equal(none.exposure, null);
  const empty = computeMetrics({ curve: REF, trades: [] });
  assert.equal(empty.tradeCount, 0);
  assert.equal(empty.winRate, null);
  assert.equal(empty.exposure, 0);
});

test("exposure is the share of bars with a non-zero position flag or fraction", () => {
  // 3 of 5 bars hold something (a −0.5 short counts): 0.6
  const m = computeMetrics({ curve: REF, exposure: [0, 1, 1, 0, -0.5] });
  close(m.exposure, 0.6);
  assert.throws(() => computeMetrics({ curve: REF, exposure: [1, 1] }), /2 values for 5 bars/);
});

test("exposure from trades: a bar is held when entry ≤ t < exit", () => {
  const t = REF.t;
  // one trade day 1 → day 3: bars day 1 and 2 held (day 3 is the exit) → 2/5
  close(exposureFromTrades(t, [{ entryTime: T0 + DAY, exitTime: T0 + 3 * DAY, pnl: 1 }]), 0.4);
  // plus an overlapping one day 2 → day 4: days 1, 2, 3 → 3/5
  const two = [
    { entryTime: T0 + 2 * DAY, exitTime: T0 + 4 * DAY, pnl: 1 },
    { entryTime: T0 + DAY, exitTime: T0 + 3 * DAY, pnl: -1 },
  ];
  close(exposureFromTrades(t, two), 0.6);
  // the explicit flags win over trades
  close(computeMetrics({ curve: REF, trades: two, exposure: [1, 1, 1, 1, 1] }).exposure, 1);
  close(computeMetrics({ curve: REF, trades: two }).exposure, 0.6);
});

test("a ruined account: drawdown 100%, returns out of zero equity are 0", () => {
  const m = computeMetrics({ curve: daily([100, 50, 0, 0]) });
  close(m.totalReturn, -1);
  close(m.maxDrawdown.depth, 1);
  assert.deepEqual(Array.from(simpleReturns([100, 50, 0, 0])), [-0.5, -1, 0]);
  assert.equal(m.maxDrawdown.recoveryTime, null);
});

test("the result is plain JSON: no NaN anywhere, Infinity written as a string", () => {
  const trades = [{ entryTime: T0, exitTime: T0 + DAY, pnl: 5 }];
  for (const m of [computeMetrics({ curve: REF, trades }), computeMetrics({ curve: daily([100, 100]) }), computeMetrics({ curve: daily([7]) })]) {
    const j = metricsToJson(m);
    assert.deepEqual(JSON.parse(JSON.stringify(j)), j, "round-trips through JSON unchanged");
    assert.ok(!JSON.stringify(j).includes("NaN"));
  }
  assert.equal(metricsToJson(computeMetrics({ curve: REF, trades })).profitFactor, "Infinity");
});

test("malformed curves are refused with the field and value", () => {
  const t = Float64Array.of(T0, T0 + DAY, T0 + DAY);
  assert.throws(() => computeMetrics({ curve: { t, equity: Float64Array.of(1, 2, 3) } }), /t\[2\] = .* must be after t\[1\]/);
  assert.throws(() => computeMetrics({ curve: daily([100, -1]) }), /equity\[1\] = -1 must be finite and ≥ 0/);
  assert.throws(() => computeMetrics({ curve: daily([0, 1]) }), /equity\[0\] = 0 must be > 0/);
  assert.throws(() => computeMetrics({ curve: daily([100, NaN]) }), /equity\[1\] = NaN/);
  assert.throws(() => computeMetrics({ curve: { t: Float64Array.of(1), equity: Float64Array.of(1, 2) } }), /1 times but 2 equities/);
  assert.throws(() => computeMetrics({ curve: daily([]) }), /empty/);
  assert.throws(() => computeMetrics({ curve: REF }, { periodsPerYear: 0 }), /periodsPerYear = 0/);
  assert.throws(() => tradeStats([{ entryTime: 2, exitTime: 1, pnl: 0 }]), /exits at 1, before its entry at 2/);
});
