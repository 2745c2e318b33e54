// The path fundamental: exactly the real price at every point, straight in log space between, the same world whatever the pattern of questions.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FundamentalPath, type FundamentalPathParams } from "../../agents/fundamental-path.ts";
import { Rng } from "../../sim/rng.ts";

const MIN = 60_000_000_000;
const HOUR = 60 * MIN;
const prices = [20_000, 21_000, 19_500, 19_500, 24_000];
const path = (over: Partial<FundamentalPathParams> = {}, seed = 1) =>
  new FundamentalPath({ stepNs: HOUR, prices, bridgeSigmaPerSqrtHour: 0, bridgeStepNs: 1e9, ...over }, Rng.root(seed).fork("world/fundamental"));

test("the value at every point is that point's price, with and without bridge noise", () => {
  for (const sigma of [0, 0.02]) {
    const f = path({ bridgeSigmaPerSqrtHour: sigma });
    prices.forEach((p, k) => {
      // Just before a point the bridge has all but closed on it (1-second steps of a 2%-an-hour bridge move 0.03%).
      if (k > 0) assert.ok(Math.abs(f.valueAt(k * HOUR - 1) / p - 1) < 0.005, `sigma ${sigma}, 1 ns before point ${k}: ${f.valueAt(k * HOUR - 1)} vs ${p}`);
      assert.ok(Math.abs(f.valueAt(k * HOUR) / p - 1) < 1e-12, `sigma ${sigma}, point ${k}: ${f.valueAt(k * HOUR)} vs ${p}`);
    });
  }
});

test("between points the value is interpolated in log space (the geometric mean half way), and holds the last price after the end", () => {
  const f = path();
  assert.ok(Math.abs(f.valueAt(HOUR / 2) - Math.sqrt(20_000 * 21_000)) < 1e-9);
  assert.ok(Math.abs(f.valueAt(HOUR + HOUR / 4) - Math.exp(0.75 * Math.log(21_000) + 0.25 * Math.log(19_500))) < 1e-9);
  assert.ok(Math.abs(f.valueAt(2 * HOUR + 17 * MIN) / 19_500 - 1) < 1e-12, "flat between equal points");
  assert.ok(Math.abs(f.valueAt(10 * HOUR) / 24_000 - 1) < 1e-12);
});

test("a shock moves the rest of the path by its percentage", () => {
  const f = path();
  f.valueAt(HOUR);
  f.jump(-30);
  assert.ok(Math.abs(f.valueAt(2 * HOUR) / (19_500 * 0.7) - 1) < 1e-12);
  assert.ok(Math.abs(f.valueAt(20 * HOUR) / (24_000 * 0.7) - 1) < 1e-12);
});

test("bridge noise is seeded: the same values whatever times are asked in between, another seed gives another bridge", () => {
  const probe = [HOUR / 3, 2 * HOUR + 5 * MIN, 3 * HOUR + 59 * MIN];
  const reference = (() => {
    const f = path({ bridgeSigmaPerSqrtHour: 0.02 });
    return probe.map((t) => f.valueAt(t));
  })();
  fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 4 * HOUR }), { maxLength: 30 }), (extra) => {
    const f = path({ bridgeSigmaPerSqrtHour: 0.02 });
    const asks = [...extra.map((t) => ({ t, probe: -1 })), ...probe.map((t, i) => ({ t, probe: i }))].sort((a, b) => a.t - b.t || a.probe - b.probe);
    for (const a of asks) {
      const v = f.valueAt(a.t);
      if (a.probe >= 0) assert.equal(v, reference[a.probe]);
    }
  }), { seed: 3, numRuns: 30 });
  const other = path({ bridgeSigmaPerSqrtHour: 0.02 }, 2);
  assert.notEqual(other.valueAt(probe[0]), reference[0]);
  assert.notEqual(reference[0], Math.exp((2 / 3) * Math.log(20_000) + (1 / 3) * Math.log(21_000)), "the bridge moves the value off the straight line");
});

test("asking for an earlier segment after a later one throws (time does not go back)", () => {
  const f = path({ bridgeSigmaPerSqrtHour: 0.02 });
  f.valueAt(2 * HOUR + 1);
  assert.throws(() => f.valueAt(HOUR / 2), /time went backwards/);
});
