// mean-reversion buys a close at/below the lower Bollinger band with RSI oversold and sells back at the middle band.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MeanReversion, MeanReversionParams } from "../../../agents/strategies/mean-reversion.ts";
import { barsFromCloses, signals, trend, where } from "./bars.ts";

const make = (p: object = {}) => new MeanReversion(MeanReversionParams.parse(p));
const ZIGZAG = (n: number) => Array.from({ length: n }, (_, i) => 100 + (i % 2 === 0 ? 0.3 : -0.3));
// 40 bars zigzagging around 100, a 5-bar slide of 1.5% a bar, then 10 bars of recovery.
const SLIDE = trend(100, 0.985, 5);
const CLOSES = [...ZIGZAG(40), ...SLIDE, ...trend(SLIDE[4], 1.01, 10)];

test("enters on the slide below the lower band with RSI oversold, exits on the way back to the middle band", () => {
  const s = make();
  assert.equal(s.startupBars, 20);
  const sigs = signals(s, barsFromCloses(CLOSES));
  assert.deepEqual(where(sigs, "enter"), [43, 44, 45]);
  const exitAfter = where(sigs, "exit").filter((i) => i > 45);
  assert.equal(exitAfter[0], 50, "first close back at or above the middle band");
});

test("stays out of a market that zigzags inside its bands", () => {
  const sigs = signals(make(), barsFromCloses(ZIGZAG(200)));
  assert.deepEqual(where(sigs, "enter"), []);
});

test("with volumeSpike on, only the oversold bar that also has a volume spike enters", () => {
  const calm = signals(make({ volumeSpike: true }), barsFromCloses(CLOSES));
  assert.deepEqual(where(calm, "enter"), []);
  const spike = CLOSES.map((_, i) => (i === 43 ? 400 : 100));
  const sigs = signals(make({ volumeSpike: true }), barsFromCloses(CLOSES, { volume: spike }));
  assert.deepEqual(where(sigs, "enter"), [43]);
});

test("RSI above overbought alone is an exit, wherever the close is against the bands", () => {
  // A rise of 2% a bar: RSI is 100 and the close sits far above the middle band.
  const sigs = signals(make(), barsFromCloses([...ZIGZAG(20), ...trend(100, 1.02, 10)]));
  assert.ok(sigs.slice(20).every((x) => x === "exit"));
});
