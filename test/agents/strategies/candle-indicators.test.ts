// The candle-input wrappers give trading-signals' own results when the caller reuses one bar object, which trading-signals alone does not.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ADX, ATR, type HighLowClose } from "trading-signals";
import { Adx, Atr, CandleRing } from "../../../agents/strategies/indicators/candle-indicators.ts";
import type { Candle } from "../../../agents/strategies/strategy.ts";
import { randomBars } from "./bars.ts";

/**
 * Random bars that also gap: every bar is shifted by -1%, 0 or +1%, so the previous close often
 * lies outside the bar's range, where the true range is not just high − low.
 */
function gappyBars(seed: number, n: number, sd = 0.01): Candle[] {
  return randomBars(seed, n, sd).map((b, i) => {
    const g = 1 + 0.01 * ((i % 3) - 1);
    return { ...b, open: b.open * g, high: b.high * g, low: b.low * g, close: b.close * g };
  });
}

const BARS = gappyBars(7, 600);

/** Results of `update` for each bar, all through one object rewritten in place, as the runner feeds bars. */
function reused<R>(update: (bar: HighLowClose) => R, bars: readonly Candle[]): R[] {
  const shared = { high: 0, low: 0, close: 0 };
  return bars.map((b) => {
    shared.high = b.high;
    shared.low = b.low;
    shared.close = b.close;
    return update(shared);
  });
}

/** Results of `update` for each bar, each through a fresh object. */
function fresh<R>(update: (bar: HighLowClose) => R, bars: readonly Candle[]): R[] {
  return bars.map((b) => update({ high: b.high, low: b.low, close: b.close }));
}

function assertSame(ours: readonly unknown[], theirs: readonly unknown[], what: string): void {
  assert.equal(ours.length, theirs.length);
  for (let i = 0; i < ours.length; i++) assert.ok(Object.is(ours[i], theirs[i]), `${what} at bar ${i}: wrapper ${ours[i]}, trading-signals ${theirs[i]}`);
}

test("trading-signals alone, fed one reused bar object, goes wrong: it keeps the object as its previous candle", () => {
  const differs = (a: readonly unknown[], b: readonly unknown[]) => a.some((x, i) => !Object.is(x, b[i]));
  const atrFresh = new ATR(14);
  const atrReused = new ATR(14);
  assert.ok(differs(reused((c) => atrReused.update(c, false), BARS), fresh((c) => atrFresh.update(c, false), BARS)), "ATR");
  const adxFresh = new ADX(14);
  const adxReused = new ADX(14);
  assert.ok(differs(reused((c) => adxReused.update(c, false), BARS), fresh((c) => adxFresh.update(c, false), BARS)), "ADX");
});

test("Atr and Adx fed one reused object equal trading-signals fed fresh objects, bit for bit", () => {
  const atr = new Atr(14);
  const atrRef = new ATR(14);
  assertSame(
    reused((c) => atr.update(c), BARS),
    fresh((c) => atrRef.update(c, false), BARS),
    "ATR(14)",
  );
  const adx = new Adx(14);
  const adxRef = new ADX(14);
  const ours = reused((c) => adx.update(c), BARS);
  assertSame(ours, fresh((c) => adxRef.update(c, false), BARS), "ADX(14)");
  assert.ok(ours[25] === null && typeof ours[26] === "number", "ADX(14) first value on bar 2·14 − 1");
});

test("for any period the wrappers match trading-signals on fresh objects", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 30 }), (seed, period) => {
      const bars = gappyBars(seed, 3 * period + 10, 0.02);
      const atr = new Atr(period);
      const atrRef = new ATR(period);
      assertSame(reused((c) => atr.update(c), bars), fresh((c) => atrRef.update(c, false), bars), `ATR(${period})`);
      const adx = new Adx(period);
      const adxRef = new ADX(period);
      assertSame(reused((c) => adx.update(c), bars), fresh((c) => adxRef.update(c, false), bars), `ADX(${period})`);
    }),
    { numRuns: 60 },
  );
});

test("ADX of bars with no range at all is 0, not trading-signals' NaN that never recovers", () => {
  const flat = { high: 100, low: 100, close: 100 };
  const theirs = new ADX(5);
  const adx = new Adx(5);
  let last: number | null = null;
  for (let i = 0; i < 20; i++) {
    theirs.update({ ...flat }, false);
    last = adx.update(flat);
  }
  assert.equal(last, 0);
  const move = { high: 102, low: 100, close: 101 };
  assert.ok(Number.isNaN(theirs.update(move, false)), "trading-signals' ADX stays NaN");
  const after = adx.update(move);
  assert.ok(after !== null && Number.isFinite(after) && after > 0, `ours recovers: ${after}`);
});

test("a CandleRing hands out its objects in turn, copying only high, low and close", () => {
  const ring = new CandleRing(3);
  const bar: Candle = { time: 1, open: 1, high: 3, low: 2, close: 2.5, volume: 9 };
  const a = ring.copy(bar);
  const b = ring.copy(bar);
  const c = ring.copy(bar);
  assert.deepEqual(a, { high: 3, low: 2, close: 2.5 });
  assert.ok(a !== b && b !== c && a !== c && a !== bar);
  assert.equal(ring.copy(bar), a, "the fourth copy reuses the first object");
  assert.throws(() => new CandleRing(0), RangeError);
});
