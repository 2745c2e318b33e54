// Calibrate's objective: moments weighted by their inverse variance across seeds, zero variance floored, missing values penalised.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MISSING_PENALTY, MOMENT_KEYS, MOMENTS, momentWeights, objective, RELATIVE_SD_FLOOR } from "../../../experiments/calibrate/moments.ts";
import type { Facts } from "../../../experiments/facts.ts";

function flat(v: number, std = v): Facts {
  const g = (keys: readonly number[]) => Object.fromEntries(keys.map((k) => [String(k), v]));
  return { bars: 100, stdPct: std, kurtosis: g([1, 5, 10, 60]), acf: g([1, 2, 3, 4, 5]), absAcf: g([1, 5, 10, 30, 60]), hill: v, volumeAbsCorr: v } as unknown as Facts;
}

test("the moments are the issue's facts: std, kurtosis at 1/5/10/60, |r| acf at 1/5/10/30/60, Hill, volume/|r|, lag-1 acf", () => {
  assert.deepEqual(MOMENTS.map((m) => m.key), [...MOMENT_KEYS]);
  assert.equal(MOMENTS.length, 13);
});

test("weights are 1 / variance across seeds, so a moment twice as noisy counts a quarter as much", () => {
  const w = momentWeights(flat(1), [flat(1, 0.5), flat(1, 1.5), flat(1, 1)]);
  // stdPct across seeds: 0.5, 1.5, 1 → sd 0.5, weight 4.
  assert.ok(Math.abs(w[0].weight - 4) < 1e-12);
  assert.ok(Math.abs(objective(w, [flat(1, 1.5), flat(1, 1.5), flat(1, 2)]) - (4 * 0.25) / 13) < 1e-12, "one moment off by 0.5, over 13 moments");
});

test("a moment the seeds agree on exactly gets the floored sd (5% of its real value), not an infinite weight", () => {
  const w = momentWeights(flat(2), [flat(3), flat(3)]);
  const floor = RELATIVE_SD_FLOOR * 2;
  for (const m of w) assert.ok(Math.abs(m.weight - 1 / (floor * floor)) < 1e-9, `${m.key}: ${m.weight}`);
  assert.ok(Number.isFinite(objective(w, [flat(3), flat(3)])));
  const zero = momentWeights(flat(0), [flat(0), flat(0)]);
  assert.ok(zero.every((m) => Number.isFinite(m.weight) && m.weight > 0), "a real value of 0 still gets a finite weight");
});

test("a real value that is NaN leaves its moment out; a candidate with no finite value pays the penalty", () => {
  const real = { ...flat(1), stdPct: NaN } as Facts;
  const w = momentWeights(real, [flat(1), flat(2)]);
  assert.equal(w[0].weight, 0);
  assert.equal(objective(w, [flat(1, 999), flat(1, 999)]), 0, "the std is left out, every other moment matches");
  const missing = momentWeights(flat(1), [flat(1), flat(2)]);
  const o = objective(missing, [flat(1, NaN), flat(1, NaN)]);
  assert.ok(Math.abs(o - MISSING_PENALTY / 13) < 1e-9, `${o}`);
});
