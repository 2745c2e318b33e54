// breakout buys a close above the prior highs on a volume surge and sells below support or the ATR trail.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Breakout, BreakoutParams } from "../../../agents/strategies/breakout.ts";
import { barsFromCloses, signals, trend, where } from "./bars.ts";

const make = (p: object = {}) => new Breakout(BreakoutParams.parse(p));
// 40 bars in a 99.5–100.5 range, a break to 103–104.5, then a slide of 2% a bar.
const RANGE = Array.from({ length: 40 }, (_, i) => 100 + (i % 4 < 2 ? 0.5 : -0.5));
const CLOSES = [...RANGE, 103, 104, 104.5, 104, 103.5, ...trend(103.5, 0.98, 8)];
const SURGE = CLOSES.map((_, i) => (i === 40 ? 200 : 100)); // 2× the mean on the break bar

test("enters on the close above the 20-bar high when volume surges, exits on the slide", () => {
  const s = make();
  assert.equal(s.startupBars, 22);
  const sigs = signals(s, barsFromCloses(CLOSES, { volume: SURGE }));
  assert.deepEqual(where(sigs, "enter"), [40]);
  const exits = where(sigs, "exit");
  assert.ok(exits.length > 0 && exits[0] > 44, `exits once the slide starts (got ${exits[0]})`);
});

test("the same break without a volume surge is not traded", () => {
  const sigs = signals(make(), barsFromCloses(CLOSES, { volume: 100 }));
  assert.deepEqual(where(sigs, "enter"), []);
});

test("inside the range nothing happens, and the current bar's own high is not its resistance", () => {
  const sigs = signals(make(), barsFromCloses(RANGE, { volume: RANGE.map((_, i) => (i % 5 === 0 ? 500 : 100)) }));
  assert.ok(sigs.every((x) => x === "hold"));
});

test("a close below the lowest low of the 10 bars before is an exit", () => {
  const sigs = signals(make(), barsFromCloses([...RANGE, 98]));
  assert.equal(sigs[40], "exit");
});

test("a close under the ATR trail exits even while support holds", () => {
  const climb = [...RANGE, ...trend(100, 1.01, 30)];
  const s = make();
  assert.ok(signals(s, barsFromCloses(climb)).every((x) => x !== "exit"), "a steady climb stays above its trail");
  const last = climb[climb.length - 1];
  const support = last / 1.01 ** 10; // about the lowest low of the 10 bars before
  // The dip bar widens the ATR and so lowers the trail a little: aim 2 below the current level.
  const dipClose = s.trail - 2;
  assert.ok(dipClose > support + 5, "the dip stays well above support");
  const [dip] = signals(s, barsFromCloses([last, dipClose]).slice(1).map((b) => ({ ...b, time: climb.length * 3_600_000 })));
  assert.equal(dip, "exit");
});
