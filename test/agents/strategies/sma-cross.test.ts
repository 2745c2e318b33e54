// sma-cross trades exactly the bars Backtrader's SmaCross trades: fsum SMAs, NonZeroDifference crossings, minimum period.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SmaCross, SmaCrossParams } from "../../../agents/strategies/sma-cross.ts";
import { NO_EXITS } from "../../../agents/strategies/strategy.ts";
import { barsFromCloses, rep, signals, where } from "./bars.ts";

const make = (fast: number, slow: number) => new SmaCross(SmaCrossParams.parse({ fast, slow }));

test("hand-checked crossings with fast 2 / slow 4, ties looked through as Backtrader's NonZeroDifference does", () => {
  // bar  close  SMA2   SMA4   last non-zero diff before → signal
  //  3    10    10     10     (seed: diff 0)                 hold  (first SMA4 bar seeds, never trades)
  //  4     9    9.5    9.75   0 (zero seed is neither side)  hold
  //  5    11    10     10     tie                            hold
  //  6     5    8      8.75   -1/4: below, tie, below        hold
  //  7    13    9      9.5    -3/4                           hold
  //  8     7    10     9      -1/2 → above                   enter
  //  9    11    9      9      tie                            hold
  // 10     8    9.5    9.75   +1: above, tie, below          exit
  // 11    10    9      9      tie                            hold
  // 12    11    10.5   10     -1/4: below, tie, above        enter
  // 13     8    9.5    9.25   +1/2                           hold
  // 14    13    10.5   10.5   tie                            hold
  // 15    15    14     11.75  +1/4: above, tie, above        hold
  const closes = [10, 10, 10, 10, 9, 11, 5, 13, 7, 11, 8, 10, 11, 8, 13, 15];
  const sigs = signals(make(2, 4), barsFromCloses(closes));
  assert.deepEqual(where(sigs, "enter"), [8, 12]);
  assert.deepEqual(where(sigs, "exit"), [10]);
});

test("no signal before bar slow + 1: SMA(slow) needs slow bars and CrossOver looks one bar back", () => {
  const s = make(10, 30);
  assert.equal(s.startupBars, 31);
  // Falling for 29 bars, then a jump on bar 30 (index 29): the fast SMA is above the slow one
  // on the very first bar both exist. That bar only seeds the difference, and since the
  // difference is positive from then on, Backtrader never buys: neither do we.
  const seedCross = [...Array.from({ length: 29 }, (_, i) => 200 - i), 400, 401, 402];
  assert.deepEqual(where(signals(make(10, 30), barsFromCloses(seedCross)), "enter"), []);
  // The same jump one bar later is the first tradable crossing, on index 30.
  const firstCross = [...Array.from({ length: 30 }, (_, i) => 200 - i), 400, 401];
  const sigs = signals(make(10, 30), barsFromCloses(firstCross));
  assert.deepEqual(where(sigs, "enter"), [30]);
  assert.ok(sigs.slice(0, 30).every((x) => x === "hold"));
});

/** Integer-cent random walk from a Park–Miller generator: the same doubles in Python and here. */
function lcgCloses(seed: number, n: number, startCents: number, step: number): number[] {
  let s = seed;
  let cents = startCents;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    cents += (s % (2 * step + 1)) - step;
    out.push(cents / 100);
  }
  return out;
}

// Signals of a Python transcription of Backtrader's formulas (Average: math.fsum(window)/period;
// NonZeroDifference; CrossOver = CrossUp − CrossDown) on the walks above, seed 1 and 2.
const PYTHON_FAST3_SLOW7 = {
  enter: [14, 33, 45, 55, 76, 88, 91, 118, 128, 136, 144, 156, 169, 180, 182, 198, 223, 230, 237, 256, 269, 280, 292, 308, 321, 333, 355, 366, 375, 395],
  exit: [21, 37, 49, 70, 78, 90, 111, 125, 131, 139, 146, 162, 175, 181, 191, 204, 226, 232, 239, 263, 272, 291, 297, 318, 324, 349, 360, 370, 378, 397],
};
const PYTHON_FAST10_SLOW30 = { enter: [31, 52, 128, 224, 244, 331, 380, 396], exit: [35, 90, 141, 233, 264, 356, 386] };

test("on cent-priced walks it signals on exactly the bars the Python fsum transcription does", () => {
  const a = signals(make(3, 7), barsFromCloses(lcgCloses(1, 400, 1000, 2)));
  assert.deepEqual({ enter: where(a, "enter"), exit: where(a, "exit") }, PYTHON_FAST3_SLOW7);
  const b = signals(make(10, 30), barsFromCloses(lcgCloses(2, 400, 1000, 3)));
  assert.deepEqual({ enter: where(b, "enter"), exit: where(b, "exit") }, PYTHON_FAST10_SLOW30);
});

test("near-ties are why the sums must be correctly rounded: a plain window sum trades different bars", () => {
  // The same rule with sum-in-a-loop SMAs, to show the fsum walks above are not trivially equal.
  function naive(closes: number[], fast: number, slow: number): number[] {
    const mean = (i: number, n: number) => {
      let t = 0;
      for (let k = i - n + 1; k <= i; k++) t += closes[k];
      return t / n;
    };
    let nzd = NaN;
    const enters: number[] = [];
    for (let i = slow - 1; i < closes.length; i++) {
      const f = mean(i, fast);
      const s = mean(i, slow);
      if (i === slow - 1) {
        nzd = f - s;
        continue;
      }
      const before = nzd;
      if (f - s !== 0) nzd = f - s;
      if (before < 0 && f > s) enters.push(i);
    }
    return enters;
  }
  assert.notDeepEqual(naive(lcgCloses(1, 400, 1000, 2), 3, 7), PYTHON_FAST3_SLOW7.enter);
});

test("a flat market never crosses, and sma-cross has no exits of its own", () => {
  const s = make(10, 30);
  assert.ok(signals(s, barsFromCloses(rep(100, 200))).every((x) => x === "hold"));
  assert.deepEqual(s.exits, NO_EXITS);
  assert.equal(s.timeframe, "1h");
});
