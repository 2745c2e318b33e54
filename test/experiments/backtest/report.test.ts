// The backtest report: every chart compiles with vega-lite, the page is offline and a pure function of its input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import { computeMetrics } from "../../../experiments/metrics/performance.ts";
import { backtestSpecs, renderBacktestHtml, type BacktestReportInput } from "../../../experiments/backtest/report.ts";
import { runBacktest } from "../../../experiments/backtest/runner.ts";
import { bars, Scripted } from "./helpers.ts";

function input(): BacktestReportInput {
  const b = bars(Array.from({ length: 40 }, (_, i) => [100 + (i % 7), 108 + (i % 7), 98 + (i % 7), 101 + (i % 5)] as const));
  const r = runBacktest({ pairs: [{ pair: "BTC/USDT", bars: b }], strategies: [Scripted.withRegimes("E...X...E..X", ["warming-up", "trending-up", "ranging", "volatile"])] });
  return {
    title: "test <report>", generator: "test", meta: [["strategy", "scripted"]],
    metrics: computeMetrics({ curve: { t: r.time, equity: r.equity }, trades: r.trades }), finalEquity: r.finalEquity,
    prices: [{ pair: "BTC/USDT", time: b.timestamps, close: b.close }], time: r.time, equity: r.equity, regime: r.regime,
    trades: r.trades, riskEvents: [{ time: r.time[3], action: "blocked", rule: "max-open-trades", pair: "BTC/USDT", detail: "<b>x</b>" }],
  };
}

test("price with trades, regime band, equity and drawdown: every spec compiles", () => {
  const specs = backtestSpecs(input());
  assert.deepEqual(specs.map((s) => s.name), ["price-BTC/USDT", "regime", "equity", "drawdown"]);
  for (const s of specs) assert.doesNotThrow(() => compile(s.spec), s.name);
  const band = (specs[1].spec as { data: { values: { regime: string }[] } }).data.values.map((v) => v.regime);
  assert.deepEqual(band.slice(0, 4), ["warming-up", "trending-up", "ranging", "volatile"]);
});

test("report.html is offline, escapes text, and is the same bytes for the same input", () => {
  const a = renderBacktestHtml(input());
  assert.equal(a, renderBacktestHtml(input()));
  assert.ok(!/<script[^>]+src=/.test(a));
  assert.match(a, /<title>test &lt;report&gt;<\/title>/);
  assert.match(a, /&lt;b&gt;x&lt;\/b&gt;/);
  assert.match(a, /data-chart="regime"/);
});
