// fsum and ExactSum round sums exactly as Python's math.fsum does, also for a sliding window.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ExactSum, fsum } from "../../../agents/strategies/indicators/fsum.ts";

// Expected values printed by CPython 3.11's math.fsum for the same inputs.
const PYTHON_FSUM: ReadonlyArray<readonly [readonly number[], number]> = [
  [Array.from({ length: 10 }, () => 0.1), 1.0],
  [[1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50], 1e-100],
  [[1e-16, 1, 1e16], 1.0000000000000002e16],
  [[0.1, 0.2, 0.3], 0.6],
  [[1.0, 1e-100, -1.0], 1e-100],
  [[2 ** 53, -0.5, -(2 ** -54)], 9007199254740991.0],
  [[2 ** 53, 1.0, 2 ** -100], 9007199254740994.0],
  [[-(2 ** 53), -1.0, -(2 ** -100)], -9007199254740994.0],
  [[1.7976931348623157e308, -1.7976931348623157e308, 5e-324], 5e-324],
  [[1e16, 1.0, 1e-16], 1.0000000000000002e16],
  [[28145.37, 28146.12, 28150.0, 28144.99, 28141.58, 28139.01, 28147.45, 28149.99, 28152.3, 28148.11], 281464.92],
  [[], 0],
];

test("fsum returns what Python's math.fsum returns, including the half-even cases", () => {
  for (const [xs, want] of PYTHON_FSUM) assert.equal(fsum(xs), want, `fsum(${JSON.stringify(xs)})`);
});

test("fsum of ten 0.1 is exactly 1 where a plain loop is not", () => {
  let naive = 0;
  for (let i = 0; i < 10; i++) naive += 0.1;
  assert.notEqual(naive, 1);
  assert.equal(fsum(Array.from({ length: 10 }, () => 0.1)), 1);
});

test("fsum is order-independent (it is correctly rounded)", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { maxLength: 40 }), (xs) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const reversed = [...xs].reverse();
      return Object.is(fsum(xs) + 0, fsum(sorted) + 0) && Object.is(fsum(xs) + 0, fsum(reversed) + 0);
    }),
  );
});

test("a sliding ExactSum (add the new value, add minus the old) equals fsum of the window at every step", () => {
  const price = fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100); // cents, like real closes
  fc.assert(
    fc.property(fc.array(price, { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (xs, period) => {
      const s = new ExactSum();
      for (let i = 0; i < xs.length; i++) {
        s.add(xs[i]);
        if (i >= period) s.add(-xs[i - period]);
        if (s.value() !== fsum(xs.slice(Math.max(0, i - period + 1), i + 1))) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
});

test("a sliding ExactSum stays exact over wildly mixed magnitudes", () => {
  const xs = [1e300, 1, -1e300, 1e-300, 3.5, 1e20, -7, 1e-20, 0.1, 2 ** 60];
  const s = new ExactSum();
  for (let i = 0; i < xs.length; i++) {
    s.add(xs[i]);
    if (i >= 3) s.add(-xs[i - 3]);
    assert.equal(s.value(), fsum(xs.slice(Math.max(0, i - 2), i + 1)), `step ${i}`);
  }
});

test("hundreds of non-overlapping partials (the buffer grows) still round as Python does", () => {
  const xs = Array.from({ length: 400 }, (_, i) => 2 ** (2 * (i - 200)));
  assert.equal(fsum(xs), 8.607499593623028e119);
  assert.equal(fsum([...xs, ...xs.slice(100).map((x) => -x)]), 2.0743384259537138e-61);
});

test("ExactSum refuses non-finite input and reports intermediate overflow, as Python raises", () => {
  const s = new ExactSum();
  assert.throws(() => s.add(NaN), RangeError);
  assert.throws(() => s.add(Infinity), RangeError);
  assert.throws(() => fsum([1e308, 1e308, -1e308]), /overflow/);
});
