// Candle scenarios (as Freqtrade's test_backtest_detail): small hand-written bars, expected trades and exit reasons.
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_EXITS, type ExitRules } from "../../../agents/strategies/strategy.ts";
import { RiskManager, RISK_OFF } from "../../../agents/risk/risk-manager.ts";
import { runBacktest, type BacktestTrade } from "../../../experiments/backtest/runner.ts";
import type { RiskGate } from "../../../experiments/backtest/risk-gate.ts";
import { bars, MIN, near, Scripted, T0 } from "./helpers.ts";

type Row = readonly [number, number, number, number];
const FREE = { commission: 0, slippage: 0 };

/** Runs one pair with no costs unless given; cash 10,000 so 100 buys 100 units. */
function run(rows: readonly Row[], script: string, exits: ExitRules = NO_EXITS, opts: { fill?: typeof FREE; risk?: RiskGate } = {}) {
  return runBacktest({ pairs: [{ pair: "BTC/USDT", bars: bars(rows) }], strategies: [new Scripted(script, exits)], fill: opts.fill ?? FREE, cash: 10_000, risk: opts.risk });
}

function expectTrade(t: BacktestTrade, want: { entryBar: number; exitBar: number; entry: number; exit: number; reason: string; pnl: number }): void {
  assert.equal(t.entryTime, T0 + want.entryBar * MIN, "entry time");
  assert.equal(t.exitTime, T0 + want.exitBar * MIN, "exit time");
  assert.equal(t.exitReason, want.reason);
  assert.equal(t.side, "long");
  near(t.entryPrice, want.entry, "entry price");
  near(t.exitPrice, want.exit, "exit price");
  near(t.pnl, want.pnl, "pnl");
}

const rules = (r: Partial<ExitRules>): ExitRules => ({ ...NO_EXITS, ...r });

test("1. stop-loss hit inside a bar fills at the stop", () => {
  const r = run([[100, 101, 99, 100], [100, 101, 99.5, 100], [100, 100.5, 98, 98.5], [98.5, 99, 98, 98]], "E", rules({ stoploss: -0.01 }));
  assert.equal(r.trades.length, 1);
  // Entry at bar 1's open 100 (the signal came at bar 0's close); stop 99; bar 2's low 98 reaches it.
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 2, entry: 100, exit: 99, reason: "stop-loss", pnl: -100 });
  near(r.finalEquity, 9900, "final equity");
});

test("2. a gap through the stop fills at the open, not at the stop", () => {
  const r = run([[100, 101, 99, 100], [100, 101, 99.5, 100], [97, 98, 96, 97.5]], "E", rules({ stoploss: -0.01 }));
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 2, entry: 100, exit: 97, reason: "stop-loss", pnl: -300 });
});

test("3. ROI hit inside a bar fills at the ROI price", () => {
  const r = run([[100, 100, 100, 100], [100, 101, 99, 100.5], [101, 103, 100.5, 102.5], [102, 102, 102, 102]], "E", rules({ roi: [[0, 0.02]] }));
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 2, entry: 100, exit: 102, reason: "roi", pnl: 200 });
});

test("4. the ROI table steps down with the trade's age (and a gap above it fills at the open)", () => {
  // Entry at bar 1 (minute 1). Ages at bar opens: bar 2 → 1 min (5%: 105), bar 3 → 2 min (2%: 102),
  // bar 4 → 3 min (2%), bar 5 → 4 min (1%: 101): bar 5 opens at 101.2, above 101, so it fills at 101.2.
  const r = run(
    [[100, 100, 100, 100], [100, 100.5, 99.5, 100], [100, 103, 99.5, 101], [101, 101.5, 100.5, 101], [101, 101.9, 100.8, 101.5], [101.2, 101.6, 101, 101.4]],
    "E",
    rules({ roi: [[4, 0.01], [0, 0.05], [2, 0.02]] }),
  );
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 5, entry: 100, exit: 101.2, reason: "roi", pnl: 120 });
});

test("5. trailing stop trails the best high of earlier bars; a bar cannot raise its own stop and hit it", () => {
  // Bar 2 makes a high of 105 and a low of 100: with its own high the stop would be 102.9 and hit;
  // the rule uses earlier bars only (best 101 → stop 98.98), so it survives. Bar 3: stop 102.9, low 102 → exit.
  const r = run(
    [[100, 100, 100, 100], [100, 101, 99.5, 100.5], [101, 105, 100, 104], [104, 104.5, 102, 103], [103, 103, 103, 103]],
    "E",
    rules({ trailing: { distance: 0.02, offset: 0 } }),
  );
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 3, entry: 100, exit: 102.9, reason: "trailing-stop", pnl: 290 });
});

test("5b. a trailing offset keeps the stop off until the best price has gained it", () => {
  // offset 5%: best 101 and 104 do not activate it; bar 4 would hit 104·0.98 = 101.92, but the stop is off.
  const r = run([[100, 100, 100, 100], [100, 101, 99.5, 100.5], [101, 104, 100, 103], [103, 103.5, 101, 102], [102, 102, 102, 102]], "E", rules({ trailing: { distance: 0.02, offset: 0.05 } }));
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 4, entry: 100, exit: 102, reason: "end-of-data", pnl: 200 });
});

test("6. when stop and ROI are both touched in one bar, the stop wins", () => {
  const r = run([[100, 100, 100, 100], [100, 100.5, 99.5, 100], [100, 104, 97, 101], [101, 101, 101, 101]], "E", rules({ stoploss: -0.02, roi: [[0, 0.03]] }));
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 2, entry: 100, exit: 98, reason: "stop-loss", pnl: -200 });
});

test("7. a signal exit at bar t's close fills at bar t+1's open", () => {
  const r = run([[99, 100, 98, 100], [100, 102, 99, 101], [101, 105, 100, 103], [104, 106, 103, 105], [105, 105, 105, 105]], "E.X");
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 3, entry: 100, exit: 104, reason: "signal", pnl: 400 });
  assert.deepEqual([...r.exposure], [0, 1, 1, 0, 0]);
});

test("8. entry at the next open with slippage and commission: every number checked by hand", () => {
  const fill = { commission: 0.001, slippage: 0.0005 };
  const r = run([[190, 195, 189, 195], [200, 205, 199, 204], [210, 211, 209, 210], [210, 210, 210, 210]], "EX", NO_EXITS, { fill });
  const t = r.trades[0];
  // Buy: 200 · 1.0005 = 200.1; size = 10000 / (200.1 · 1.001) = 10000 / 200.3001.
  near(t.entryPrice, 200.1, "entry price");
  near(t.size, 49.925087406346776, "size");
  // Sell: 210 · 0.9995 = 209.895; gross 49.925087… · 209.895 = 10479.026221…
  near(t.exitPrice, 209.895, "exit price");
  // Fees: 10000 · 0.001 / 1.001 = 9.99001 on entry, 10479.026221 · 0.001 = 10.479026 on exit.
  near(t.fees, 9.99000999000999 + 10.479026221155157, "fees");
  near(t.pnl, 10479.026221155156 - 10.479026221155157 - 10000, "pnl");
  near(r.finalEquity, 10468.547194934, "final equity", 1e-6);
  // Equity is marked to the close: bar 1 holds 49.925… units at 204 and no cash.
  near(r.equity[1], 49.925087406346776 * 204, "equity at bar 1");
});

test("9. a trade still open after the last bar closes at the last close, reason end-of-data", () => {
  const r = run([[100, 100, 100, 100], [100, 102, 99, 101], [101, 106, 100, 105]], "E", NO_EXITS, { fill: { commission: 0.001, slippage: 0 } });
  const t = r.trades[0];
  assert.equal(t.exitReason, "end-of-data");
  assert.equal(t.exitTime, T0 + 2 * MIN);
  near(t.exitPrice, 105, "exit price");
  // The last equity point is the final equity, after the exit's commission.
  near(r.equity[2], r.finalEquity, "last equity");
  near(r.finalEquity, (10_000 / 1.001 / 100) * 105 * 0.999, "final equity");
});

test("10. an entry the risk manager blocks is not made and the block is recorded", () => {
  // Two pairs, at most one open trade: A's entry (decided first) is allowed, B's is blocked.
  const risk = new RiskManager({ ...RISK_OFF, maxOpenTrades: 1, maxPositionPct: 0.5 });
  const a = bars([[100, 100, 100, 100], [100, 101, 99, 100], [100, 100, 100, 100]]);
  const r = runBacktest({ pairs: [{ pair: "A", bars: a }, { pair: "B", bars: a }], strategies: [new Scripted("E"), new Scripted("E")], fill: FREE, risk });
  assert.deepEqual(r.trades.map((t) => [t.pair, t.size]), [["A", 50]]);
  assert.deepEqual(r.riskEvents.map((e) => [e.time, e.action, e.rule, e.pair]), [[T0, "resized", "max-position", "A"], [T0, "blocked", "max-open-trades", "B"]]);
  near(r.finalEquity, 10_000, "equity untouched");
});

test("10b. the risk manager resizes an entry and its stop exits with a forced-exit event", () => {
  const risk = new RiskManager({ ...RISK_OFF, maxPositionPct: 0.1, stopLossPct: 0.03 });
  const r = run([[100, 100, 100, 100], [100, 101, 99, 100], [99, 99, 96, 96.5], [96, 96, 96, 96]], "E", NO_EXITS, { risk });
  // Allowed 10% of equity 10,000 = 1,000 quote → 10 units at 100; stop at 97 hit in bar 2.
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 2, entry: 100, exit: 97, reason: "stop-loss", pnl: -30 });
  near(r.trades[0].size, 10, "size");
  assert.deepEqual(r.riskEvents.map((e) => [e.action, e.rule, e.time]), [["resized", "max-position", T0], ["forced-exit", "stop-loss", T0 + 2 * MIN]]);
  near(r.finalEquity, 9970, "final equity");
});

test("11. the circuit breaker closes every position at the next open, reason circuit-breaker", () => {
  const risk = new RiskManager({ ...RISK_OFF, circuitBreakerPct: 0.1 });
  // Equity marked at bar 2's close: 100 units at 88 = 8,800 < 90% of the 10,000 peak → trip; exit at bar 3's open.
  const r = run([[100, 100, 100, 100], [100, 101, 99, 100], [99, 99, 87, 88], [89, 90, 88, 90], [95, 95, 95, 95]], "E...E", NO_EXITS, { risk });
  assert.equal(r.trades.length, 1, "paused: the later enter signal is ignored");
  expectTrade(r.trades[0], { entryBar: 1, exitBar: 3, entry: 100, exit: 89, reason: "circuit-breaker", pnl: -1100 });
  assert.deepEqual(r.riskEvents.map((e) => [e.action, e.rule, e.pair, e.time]), [["paused", "circuit-breaker", "*", T0 + 2 * MIN], ["forced-exit", "circuit-breaker", "BTC/USDT", T0 + 2 * MIN]]);
});

test("12. two pairs share one cash balance; entries decided together fill in pair order", () => {
  const a = bars([[100, 100, 100, 100], [100, 100, 100, 100], [110, 110, 110, 110], [120, 120, 120, 120]]);
  const b = bars([[50, 50, 50, 50], [50, 50, 50, 50], [40, 40, 40, 40], [40, 40, 40, 40]]);
  // Risk off, all-in: A's entry spends all the cash at bar 1's open; B's entry finds none.
  const off = runBacktest({ pairs: [{ pair: "A", bars: a }, { pair: "B", bars: b }], strategies: [new Scripted("E"), new Scripted("E")], fill: FREE, cash: 10_000 });
  assert.deepEqual(off.trades.map((t) => [t.pair, t.size]), [["A", 100]]);
  near(off.equity[1], 10_000, "equity at bar 1");
  near(off.equity[2], 11_000, "equity at bar 2");
  // Risk on, 50% per position: each gets 5,000 of equity; B's is asked for what A left free.
  const risk = new RiskManager({ ...RISK_OFF, maxPositionPct: 0.5 });
  const on = runBacktest({ pairs: [{ pair: "A", bars: a }, { pair: "B", bars: b }], strategies: [new Scripted("E"), new Scripted("E.X")], fill: FREE, cash: 10_000, risk });
  assert.deepEqual(on.trades.map((t) => [t.pair, t.size, t.exitReason]), [["B", 100, "signal"], ["A", 50, "end-of-data"]]);
  near(on.trades[0].pnl, -1000, "B's loss");
  near(on.trades[1].pnl, 1000, "A's gain");
  // Bar 2: A 50 × 110 + B 100 × 40 + cash 0 = 9,500; bar 3: B sold at 40 → cash 4,000 + A 50 × 120.
  near(on.equity[2], 9_500, "equity at bar 2");
  near(on.finalEquity, 10_000, "final equity");
});

test("12b. pairs with different bar times are aligned on the union of times", () => {
  const a = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100]], T0, 2 * MIN);
  const b = bars([[10, 10, 10, 10], [10, 10, 10, 10], [10, 10, 10, 10]], T0 + MIN, 2 * MIN);
  const r = runBacktest({ pairs: [{ pair: "A", bars: a }, { pair: "B", bars: b }], strategies: [new Scripted(""), new Scripted("")], fill: FREE });
  assert.deepEqual([...r.time].map((t) => (t - T0) / MIN), [0, 1, 2, 3, 4, 5]);
  assert.equal(r.bars, 6);
});
