// The replay runner's invariants: money is conserved, fills stay inside their bar, trades never overlap, warm-up, bad options.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ExitRules } from "../../../agents/strategies/strategy.ts";
import { RiskManager, RISK_OFF } from "../../../agents/risk/risk-manager.ts";
import { REGIME_LABELS, runBacktest } from "../../../experiments/backtest/runner.ts";
import { bars, MIN, near, Scripted, T0 } from "./helpers.ts";

const barRows = fc.array(
  fc.tuple(fc.double({ min: 50, max: 150, noNaN: true }), fc.double({ min: 50, max: 150, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })),
  { minLength: 2, maxLength: 60 },
).map((xs) => xs.map(([o, c, up, down]) => [o, Math.max(o, c) + up, Math.min(o, c) - down, c] as const));

const exitRules: fc.Arbitrary<ExitRules> = fc.record({
  stoploss: fc.option(fc.double({ min: -0.2, max: -0.001, noNaN: true })),
  roi: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0.001, max: 0.2, noNaN: true })), { maxLength: 3 }),
  trailing: fc.option(fc.record({ distance: fc.double({ min: 0.001, max: 0.1, noNaN: true }), offset: fc.double({ min: 0, max: 0.05, noNaN: true }) })),
});

test("money is conserved, fills stay inside their bar, trades of a pair never overlap, and runs repeat exactly", () => {
  fc.assert(
    fc.property(
      barRows,
      fc.stringMatching(/^[EX.]{0,60}$/),
      exitRules,
      fc.double({ min: 0, max: 0.01, noNaN: true }),
      fc.double({ min: 0, max: 0.01, noNaN: true }),
      fc.boolean(),
      (rows, script, exits, commission, slippage, withRisk) => {
        const b = bars(rows);
        const go = () => runBacktest({
          pairs: [{ pair: "P", bars: b }], strategies: [new Scripted(script, exits)], fill: { commission, slippage }, cash: 1000,
          risk: withRisk ? new RiskManager({ ...RISK_OFF, maxPositionPct: 0.5, stopLossPct: 0.05, roiPct: 0.08 }) : null,
        });
        const r = go();
        const pnl = r.trades.reduce((a, t) => a + t.pnl, 0);
        near(r.finalEquity, 1000 + pnl, "final equity = cash + Σ pnl", 1e-7 * 1000);
        near(r.equity[r.equity.length - 1], r.finalEquity, "the curve ends at the final equity");
        for (const e of r.equity) assert.ok(Number.isFinite(e) && e >= 0);
        let lastExit = -Infinity;
        for (const t of r.trades) {
          assert.ok(t.entryTime >= lastExit && t.exitTime >= t.entryTime, "trades of one pair are sequential");
          lastExit = t.exitTime;
          const e = (t.entryTime - T0) / MIN;
          const x = (t.exitTime - T0) / MIN;
          near(t.entryPrice, b.open[e] * (1 + slippage), "entries fill at the open plus slippage");
          const lo = b.low[x] * (1 - slippage) - 1e-9;
          const hi = b.high[x] * (1 - slippage) + 1e-9;
          assert.ok(t.exitPrice >= lo && t.exitPrice <= hi, `exit ${t.exitPrice} inside bar ${x}'s range less slippage [${lo}, ${hi}]`);
          if (t.exitReason === "signal" || t.exitReason === "circuit-breaker") near(t.exitPrice, b.open[x] * (1 - slippage), "signal exits fill at the open");
          near(t.fees, commission * t.size * (t.entryPrice + t.exitPrice), "commission on both sides", 1e-9 * 1000);
        }
        assert.deepEqual(go(), r, "same inputs, same result");
      },
    ),
    { numRuns: 200 },
  );
});

test("warm-up bars reach the strategy but trade nothing and are not recorded", () => {
  const b = bars([[100, 100, 100, 100], [100, 100, 100, 100], [101, 101, 101, 101], [102, 102, 102, 102], [103, 103, 103, 103]]);
  const s = new Scripted("E.E..");
  const r = runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: [s], fill: { commission: 0, slippage: 0 }, warmupBars: 2 });
  assert.equal(s.seen.length, 5);
  assert.deepEqual([...r.time].map((t) => (t - T0) / MIN), [2, 3, 4]);
  assert.equal(r.bars, 3);
  // The "E" at bar 0 (warm-up) is ignored; the one at bar 2 fills at bar 3's open.
  assert.deepEqual(r.trades.map((t) => [(t.entryTime - T0) / MIN, t.entryPrice, t.exitReason]), [[3, 102, "end-of-data"]]);
});

test("the first pair's regime is recorded per bar when its strategy has regime()", () => {
  const b = bars([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]);
  const r = runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: [Scripted.withRegimes("", ["warming-up", "trending-up", "crisis"])] });
  assert.deepEqual([...r.regime!].map((c) => REGIME_LABELS[c]), ["warming-up", "trending-up", "crisis"]);
  assert.equal(runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: [new Scripted("")] }).regime, null);
});

test("bad options are refused naming the field and the value", () => {
  const b = bars([[1, 1, 1, 1]]);
  const s = [new Scripted("")];
  assert.throws(() => runBacktest({ pairs: [], strategies: [] }), /pairs/);
  assert.throws(() => runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: [] }), /strategies: 0 given for 1 pairs/);
  assert.throws(() => runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: s, cash: -5 }), /cash: -5/);
  assert.throws(() => runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: s, fill: { commission: 1.5, slippage: 0 } }), /commission: 1.5/);
  assert.throws(() => runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: s, fill: { commission: 0, slippage: NaN } }), /slippage: NaN/);
  assert.throws(() => runBacktest({ pairs: [{ pair: "P", bars: b }], strategies: s, warmupBars: 1.5 }), /warmupBars: 1.5/);
});
