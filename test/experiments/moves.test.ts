// The realised move is measured from the last close before the shock to the extreme after it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { realisedMovePct } from "../../experiments/moves.ts";

const M = 60e9;
const t = (n: number) => Float64Array.from({ length: n }, (_, i) => i * M);

test("a fall that later recovers reports the fall; a rise reports the peak", () => {
  const closes = Float64Array.from([100, 101, 100, 80, 70, 90, 100]);
  // Shock at minute 2.5: base is the close of the bar opened at minute 2 (100); low 70.
  assert.equal(realisedMovePct(t(7), closes, 2.5 * M, -30), -30);
  assert.equal(realisedMovePct(t(7), Float64Array.from([100, 100, 120, 150, 110]), 1.5 * M, 50), 50);
});

test("without a shock the move is measured from the first bar; too few bars give null", () => {
  assert.equal(realisedMovePct(t(3), Float64Array.from([50, 45, 40]), 0, -10), -20);
  assert.equal(realisedMovePct(t(1), Float64Array.from([50]), 0, -10), null);
  assert.equal(realisedMovePct(t(3), Float64Array.from([50, 45, 40]), 10 * M, -10), null);
});
