// Rolling windows: RollingExtreme is the window's max or min, as trading-signals' DonchianChannels scans it; RollingWindow keeps the last N values.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DonchianChannels } from "trading-signals";
import { RollingExtreme, RollingWindow } from "../../../agents/strategies/indicators/window.ts";
import { randomBars } from "./bars.ts";

test("RollingExtreme: for any period, the max of the highs and the min of the lows equal DonchianChannels' bands, NaN before", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 40 }), (seed, period) => {
      const bars = randomBars(seed, 4 * period + 30, 0.02);
      const max = new RollingExtreme(period, "max");
      const min = new RollingExtreme(period, "min");
      const dc = new DonchianChannels(period);
      bars.forEach((b, i) => {
        max.push(b.high);
        min.push(b.low);
        const r = dc.update({ high: b.high, low: b.low }, false);
        if (r === null) {
          assert.ok(Number.isNaN(max.value) && Number.isNaN(min.value) && !max.full, `bar ${i}: not full yet`);
          return;
        }
        assert.ok(Object.is(max.value, r.upper), `bar ${i}: max ${max.value}, Donchian upper ${r.upper}`);
        assert.ok(Object.is(min.value, r.lower), `bar ${i}: min ${min.value}, Donchian lower ${r.lower}`);
      });
    }),
    { numRuns: 100 },
  );
});

test("RollingExtreme: repeated values, runs up and down and a window of 1 against a scan", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 12 }), (xs, size) => {
      const max = new RollingExtreme(size, "max");
      const min = new RollingExtreme(size, "min");
      xs.forEach((x, i) => {
        max.push(x);
        min.push(x);
        if (i + 1 < size) return;
        const w = xs.slice(i + 1 - size, i + 1);
        assert.equal(max.value, Math.max(...w), `max at ${i}`);
        assert.equal(min.value, Math.min(...w), `min at ${i}`);
      });
    }),
    { numRuns: 300 },
  );
  const staircase = new RollingExtreme(3, "max");
  for (const x of [5, 4, 3, 2, 1]) staircase.push(x);
  assert.equal(staircase.value, 3, "a falling run: the old maximum leaves the window");
  assert.throws(() => new RollingExtreme(0, "max"), RangeError);
  assert.throws(() => new RollingExtreme(2.5, "min"), RangeError);
});

test("RollingWindow keeps the last `size` values, newest first by `ago`", () => {
  const w = new RollingWindow(3);
  assert.ok(Number.isNaN(w.ago(0)));
  for (const x of [1, 2, 3, 4]) w.push(x);
  assert.deepEqual([w.ago(0), w.ago(1), w.ago(2)], [4, 3, 2]);
  assert.ok(w.full && Number.isNaN(w.ago(3)));
  assert.throws(() => new RollingWindow(0), RangeError);
});
