// trend-following buys a confirmed up-trend (EMA 9 > 21 > 50, ADX > 25, above-average volume) and leaves when it breaks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TrendFollowing, TrendFollowingParams } from "../../../agents/strategies/trend-following.ts";
import { barsFromCloses, rep, signals, trend, where } from "./bars.ts";

const make = (p: object = {}) => new TrendFollowing(TrendFollowingParams.parse(p));
// 10 flat bars, 70 bars up 0.4% each, then 20 bars down 1% each.
const UP = [...rep(100, 10), ...trend(100, 1.004, 70)];
const CLOSES = [...UP, ...trend(UP[UP.length - 1], 0.99, 20)];
const RISING_VOLUME = CLOSES.map((_, i) => 100 + i); // every bar above the mean of the 20 before

test("enters a steady up-trend with rising volume as soon as it is warm, and exits when the trend breaks", () => {
  const s = make();
  assert.equal(s.startupBars, 50);
  const sigs = signals(s, barsFromCloses(CLOSES, { volume: RISING_VOLUME }));
  assert.ok(sigs.slice(0, 49).every((x) => x === "hold"), "nothing while warming up");
  assert.equal(sigs[49], "enter", "EMAs stacked, ADX high and volume confirmed on the first warm bar");
  const exits = where(sigs, "exit");
  assert.ok(exits.length > 0 && exits[0] > 80 && exits[0] <= 90, `exit a few bars into the decline (got ${exits[0]})`);
  assert.ok(where(sigs, "enter").every((i) => i < exits[0]), "no entry once the trend has broken");
});

test("stays out of the same up-trend when volume does not confirm it", () => {
  const sigs = signals(make(), barsFromCloses(CLOSES, { volume: 100 }));
  assert.deepEqual(where(sigs, "enter"), []);
});

test("stays out when ADX never clears the threshold", () => {
  const sigs = signals(make({ adxThreshold: 100 }), barsFromCloses(CLOSES, { volume: RISING_VOLUME }));
  assert.deepEqual(where(sigs, "enter"), []);
});

test("never enters a down-trend, and says exit all along it", () => {
  const down = trend(100, 0.996, 100);
  const sigs = signals(make(), barsFromCloses(down, { volume: down.map((_, i) => 100 + i) }));
  assert.deepEqual(where(sigs, "enter"), []);
  assert.ok(sigs.slice(50).every((x) => x === "exit"));
});

test("exits default to a 5% stop-loss and a 10% ROI, and params override them", () => {
  assert.deepEqual(make().exits, { stoploss: -0.05, roi: [[0, 0.1]], trailing: null });
  const custom = make({ stoploss: null, roi: [], trailing: { distance: 0.02, offset: 0.01 } });
  assert.deepEqual(custom.exits, { stoploss: null, roi: [], trailing: { distance: 0.02, offset: 0.01 } });
  assert.ok(Object.isFrozen(custom.exits));
});
