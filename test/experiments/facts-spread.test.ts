// The across-runs summary `arena facts --runs` and calibrate's report print: median, 95% interval, range, reference in range and within ±30%.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Facts } from "../../experiments/facts.ts";
import { FACT_KEYS, factsSpread, quantileSorted, spreadOf, withinOf } from "../../experiments/facts-spread.ts";

/** Facts whose every figure is `v` (std `v` too), so each row's spread is that of the `v`s. */
function flat(v: number, bars = 100): Facts {
  const g = (keys: readonly number[]) => Object.fromEntries(keys.map((k) => [String(k), v]));
  return { bars, stdPct: v, kurtosis: g([1, 5, 10, 60]), acf: g([1, 2, 3, 4, 5]), absAcf: g([1, 5, 10, 30, 60]), hill: v, volumeAbsCorr: v } as unknown as Facts;
}

test("quantiles interpolate between order statistics (type 7): the median of an even count is the midpoint", () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([10], 0.975), 10);
  // 5 values: position 4 × 0.025 = 0.1 past the first.
  assert.ok(Math.abs(quantileSorted([0, 10, 20, 30, 40], 0.025) - 1) < 1e-12);
  assert.ok(Math.abs(quantileSorted([0, 10, 20, 30, 40], 0.975) - 39) < 1e-12);
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
});

test("a spread leaves NaN runs out, and is NaN throughout when no run has a value", () => {
  const s = spreadOf([3, NaN, 1, 2]);
  assert.deepEqual(s, { n: 3, median: 2, lo: 1.05, hi: 2.95, min: 1, max: 3 });
  const none = spreadOf([NaN, NaN]);
  assert.equal(none.n, 0);
  assert.ok([none.median, none.lo, none.hi, none.min, none.max].every(Number.isNaN));
});

test("factsSpread: every fact's median, interval and range across runs, the reference's place in them", () => {
  const runs = [1, 2, 3, 4].map((v) => flat(v));
  const rows = factsSpread(runs, flat(2));
  assert.deepEqual(rows.map((r) => r.key), FACT_KEYS.map((k) => k.key));
  assert.equal(rows.length, 17);
  for (const r of rows) {
    assert.equal(r.median, 2.5);
    assert.ok(Math.abs(r.lo - 1.075) < 1e-12 && Math.abs(r.hi - 3.925) < 1e-12, `${r.key}: ${r.lo}..${r.hi}`);
    assert.equal(r.min, 1);
    assert.equal(r.max, 4);
    assert.equal(r.ref, 2);
    assert.equal(r.refInRange, true);
    assert.equal(r.within, true, "2.5 is within 30% of 2");
  }
  const far = factsSpread(runs, flat(0.9));
  assert.ok(far.every((r) => !r.within && !r.refInRange), "2.5 is more than 30% from 0.9, which lies below every run");
  const atMin = factsSpread(runs, flat(1));
  assert.ok(atMin.every((r) => r.refInRange && r.ref < r.lo), "the range is min..max, wider than the 95% interval");
  const noRef = factsSpread(runs);
  assert.ok(noRef.every((r) => Number.isNaN(r.ref) && !r.within && !r.refInRange));
});

test("within ±30% is measured on the reference's size, so it holds for negative references too", () => {
  assert.equal(withinOf(13, 10), true);
  assert.equal(withinOf(13.01, 10), false);
  assert.equal(withinOf(-0.13, -0.1), true);
  assert.equal(withinOf(-0.14, -0.1), false);
  assert.equal(withinOf(0.07, -0.1), false);
  assert.equal(withinOf(NaN, 1), false);
});
