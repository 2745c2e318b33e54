// Regime labels on crafted markets: up-trend, down-trend, flat noise, volatility, a crash; precedence and hysteresis.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RegimeDetector, RegimeParams } from "../../../agents/strategies/regime.ts";
import type { Candle, Regime } from "../../../agents/strategies/strategy.ts";
import { HOUR_MS, noisyBars, rep, trend } from "./bars.ts";

const detector = (p: object = {}) => new RegimeDetector(RegimeParams.parse(p));
const labels = (d: RegimeDetector, bars: readonly Candle[]): Regime[] => bars.map((b) => d.update(b));
const share = (ls: readonly Regime[], l: Regime) => ls.filter((x) => x === l).length / ls.length;
const SEEDS = [1, 2, 3];

test("warming-up until every indicator has its window (bar 114 with the defaults), then a real label", () => {
  const d = detector();
  assert.equal(d.startupBars, 114); // ATR(14) then 100 ATRs for its average
  const ls = labels(d, noisyBars(rep(100, 120), 1));
  assert.ok(ls.slice(0, 113).every((l) => l === "warming-up"));
  assert.notEqual(ls[113], "warming-up");
});

test("a steady up-trend is trending-up, a steady down-trend trending-down", () => {
  for (const seed of SEEDS) {
    const up = labels(detector(), noisyBars(trend(100, 1.004, 300), seed)).slice(113);
    assert.equal(share(up, "trending-up"), 1, `seed ${seed}: ${up.join(",")}`);
    const down = labels(detector(), noisyBars(trend(100, 0.996, 300), seed)).slice(113);
    assert.equal(share(down, "trending-down"), 1, `seed ${seed}`);
  }
});

test("flat noise is ranging most of the time and never volatile or crisis", () => {
  for (const seed of SEEDS) {
    const ls = labels(detector(), noisyBars(rep(100, 300), seed)).slice(113);
    assert.ok(share(ls, "ranging") >= 0.9, `seed ${seed}: ranging ${share(ls, "ranging")}`);
    assert.equal(share(ls, "volatile") + share(ls, "crisis"), 0);
  }
});

test("a 15% drop over two bars on 10× volume is a crisis, held a few bars after it stops", () => {
  for (const seed of SEEDS) {
    const path = [...rep(100, 150), ...trend(100, 0.922, 2), ...rep(100 * 0.922 ** 2, 30)];
    const ls = labels(detector(), noisyBars(path, seed, { volume: (i) => (i >= 150 && i < 152 ? 1000 : 100) }));
    assert.equal(ls[149], "ranging", `seed ${seed}: calm before`);
    // Triggers on 150..154 (volume, then the drop inside the 5-bar window), held 5 bars more.
    assert.deepEqual(ls.slice(150, 160), rep("crisis", 10), `seed ${seed}`);
    assert.notEqual(ls[160], "crisis", `seed ${seed}: the hold ends`);
  }
});

test("volume alone (6× the mean) or a 10%+ move alone is enough for a crisis", () => {
  const spike = labels(detector(), noisyBars(rep(100, 150), 1, { volume: (i) => (i === 140 ? 600 : 100) }));
  assert.equal(spike[140], "crisis");
  const drop = labels(detector({ crisisHoldBars: 0 }), noisyBars([...rep(100, 140), ...trend(100, 0.96, 3), ...rep(88.5, 10)], 1, { volume: () => 100 }));
  assert.equal(drop[142], "crisis", "down 11.5% over the 5-bar window");
});

test("wide bars without a big move are volatile, which outranks the trend they are in", () => {
  for (const seed of SEEDS) {
    const bars = noisyBars(trend(100, 1.004, 190), seed).map((b, i) => (i >= 150 ? { ...b, high: b.close * 1.02, low: b.close * 0.98 } : b));
    const ls = labels(detector(), bars);
    assert.equal(ls[149], "trending-up", `seed ${seed}`);
    // From the second wide bar, ATR is past 1.5× its 100-bar mean.
    assert.ok(ls.slice(151).every((l) => l === "volatile"), `seed ${seed}: ${ls.slice(150).join(",")}`);
  }
});

test("between ADX 20 and 25 a trend label is kept; below 20 it turns ranging", () => {
  for (const seed of SEEDS) {
    // 200 bars up, then flat: ADX decays through the neutral zone.
    const d = detector();
    let sawNeutral = false;
    let prev: Regime = "warming-up";
    for (const b of noisyBars([...trend(100, 1.004, 200), ...rep(100 * 1.004 ** 200, 100)], seed)) {
      const l = d.update(b);
      const adx = d.adxValue;
      if (prev === "trending-up" && adx >= 20 && adx <= 25 && l !== "volatile" && l !== "crisis") {
        assert.equal(l, "trending-up", `seed ${seed}: ADX ${adx} keeps the trend`);
        sawNeutral = true;
      }
      if (adx < 20 && l !== "volatile" && l !== "crisis") assert.equal(l, "ranging", `seed ${seed}: ADX ${adx}`);
      prev = l;
    }
    assert.ok(sawNeutral, `seed ${seed}: the series crossed the neutral zone`);
  }
});

test("a market that has not moved at all (no trades, as at a simulation's start) still gets trend labels once it moves", () => {
  for (const seed of SEEDS) {
    // 150 bars with no range whatsoever: ATR is exactly 0, so DX is 0/0 there.
    const flat: Candle[] = rep(100, 150).map((p, i) => ({ time: i * HOUR_MS, open: p, high: p, low: p, close: p, volume: 100 }));
    const moving = noisyBars(trend(100, 1.004, 300), seed).map((b, i) => ({ ...b, time: (150 + i) * HOUR_MS }));
    const ls = labels(detector(), [...flat, ...moving]);
    assert.ok(ls.slice(113, 150).every((l) => l === "ranging"), `seed ${seed}: no movement reads as a range`);
    // The first moves are volatile against a zero ATR average; once that average catches up the trend shows.
    assert.ok(ls.slice(-100).every((l) => l === "trending-up"), `seed ${seed}: ${ls.slice(-100).join(",")}`);
  }
});

test("labels depend only on the bars: two detectors agree bar for bar", () => {
  const bars = noisyBars([...trend(100, 1.004, 150), ...trend(180, 0.996, 150)], 9);
  assert.deepEqual(labels(detector(), bars), labels(detector(), bars));
});

test("thresholds are checked: rangeThreshold above trendThreshold is refused, naming the field", () => {
  const r = RegimeParams.safeParse({ rangeThreshold: 30, trendThreshold: 25 });
  assert.ok(!r.success && r.error.issues[0].path[0] === "rangeThreshold");
});
