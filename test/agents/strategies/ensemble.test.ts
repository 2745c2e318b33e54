// The ensemble routes each bar to the member its regime names: trend → trend following, range → mean reversion, volatile → breakout, down/crisis → exit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Breakout, BreakoutParams } from "../../../agents/strategies/breakout.ts";
import { Ensemble, EnsembleParams } from "../../../agents/strategies/ensemble.ts";
import { MeanReversion, MeanReversionParams } from "../../../agents/strategies/mean-reversion.ts";
import { RegimeDetector, RegimeParams } from "../../../agents/strategies/regime.ts";
import type { Candle, Regime, Signal } from "../../../agents/strategies/strategy.ts";
import { TrendFollowing, TrendFollowingParams } from "../../../agents/strategies/trend-following.ts";
import { noisyBars, rep, trend } from "./bars.ts";

/**
 * A market that visits every regime: calm, an up-trend, calm, a 6% breakout on 2.5× volume
 * into 40 wide bars, calm, a 15% crash on 10× volume, calm, a down-trend.
 */
function tour(seed: number): Candle[] {
  const top = 100 * 1.004 ** 120;
  const high = top * 1.06;
  const low = high * 0.92 ** 2;
  const path = [...rep(100, 150), ...trend(100, 1.004, 120), ...rep(top, 80), ...rep(high, 80), ...trend(high, 0.92, 2), ...rep(low, 60), ...trend(low, 0.996, 100)];
  const jump = 350;
  const crash = 430;
  const volume = (i: number, v: number) => (i === crash || i === crash + 1 ? 1000 : i === jump ? 250 : v);
  return noisyBars(path, seed, { volume }).map((b, i) => (i > jump && i < jump + 40 ? { ...b, high: b.close * 1.02, low: b.close * 0.98 } : b));
}

function route(regime: Regime, trend: Signal, meanReversion: Signal, breakout: Signal): Signal {
  switch (regime) {
    case "trending-up":
      return trend;
    case "ranging":
      return meanReversion;
    case "volatile":
      return breakout;
    case "trending-down":
    case "crisis":
      return "exit";
    case "warming-up":
      return "hold";
  }
}

test("every bar's signal is the signal of the member its regime names, and every regime occurs", () => {
  for (const seed of [1, 2]) {
    const bars = tour(seed);
    const ensemble = new Ensemble(EnsembleParams.parse({}));
    const none = { stoploss: null, roi: [], trailing: null };
    const tf = new TrendFollowing(TrendFollowingParams.parse(none));
    const mr = new MeanReversion(MeanReversionParams.parse(none));
    const bo = new Breakout(BreakoutParams.parse(none));
    const detector = new RegimeDetector(RegimeParams.parse({}));
    const seen = new Set<Regime>();
    const bar: Candle = { ...bars[0] };
    bars.forEach((b, i) => {
      Object.assign(bar, b);
      const got = ensemble.update(bar);
      const regime = detector.update(bar);
      const want = route(regime, tf.update(bar), mr.update(bar), bo.update(bar));
      assert.equal(ensemble.regime(), regime, `seed ${seed} bar ${i}: regime()`);
      assert.equal(got, want, `seed ${seed} bar ${i} (${regime})`);
      seen.add(regime);
    });
    assert.deepEqual([...seen].sort(), ["crisis", "ranging", "trending-down", "trending-up", "volatile", "warming-up"], `seed ${seed}`);
  }
});

test("the tour is traded: trend following buys the up-trend, breakout buys the breakout bar", () => {
  const ensemble = new Ensemble(EnsembleParams.parse({}));
  const entries: string[] = [];
  tour(1).forEach((b, i) => {
    if (ensemble.update(b) === "enter") entries.push(`${i} ${ensemble.regime()}`);
  });
  assert.ok(entries.some((e) => e.endsWith("trending-up")), entries.join(", "));
  assert.ok(entries.includes("350 volatile"), entries.join(", "));
});

test("a crash says exit on every crisis bar, whatever the members think", () => {
  const ensemble = new Ensemble(EnsembleParams.parse({}));
  for (const b of tour(3)) {
    const s = ensemble.update(b);
    if (ensemble.regime() === "crisis" || ensemble.regime() === "trending-down") assert.equal(s, "exit");
  }
});

test("it is silent while warming up and says so through regime()", () => {
  const ensemble = new Ensemble(EnsembleParams.parse({}));
  assert.equal(ensemble.startupBars, 114);
  assert.equal(ensemble.regime(), "warming-up");
  const bars = tour(1).slice(0, 113);
  assert.ok(bars.every((b) => ensemble.update(b) === "hold"));
  assert.equal(ensemble.regime(), "warming-up");
});

test("exits default to stoploss -5% and ROI 10%, members' params nest and default", () => {
  const e = new Ensemble(EnsembleParams.parse({}));
  assert.deepEqual(e.exits, { stoploss: -0.05, roi: [[0, 0.1]], trailing: null });
  const p = EnsembleParams.parse({ trend: { adxThreshold: 30 }, regime: { crisisHoldBars: 0 }, stoploss: -0.03 });
  assert.equal(p.trend.adxThreshold, 30);
  assert.equal(p.trend.fast, 9);
  assert.equal(p.meanReversion.bbPeriod, 20);
  assert.equal(p.regime.crisisHoldBars, 0);
  assert.equal(new Ensemble(p).exits.stoploss, -0.03);
});
