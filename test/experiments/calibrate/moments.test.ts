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

function sd(x: readonly number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}

test("weights are 1 / variance across seeds on the moment's scale: log for the std, linear for a correlation", () => {
  const w = momentWeights(flat(1), [flat(1, 0.5), flat(1, 1.5), flat(1, 1)]);
  const s = sd([0.5, 1.5, 1].map(Math.log));
  assert.ok(Math.abs(w[0].weight - 1 / (s * s)) < 1e-9, `${w[0].weight}`);
  // One moment off by a factor 1.5 counts log(1.5)² in standard deviations, over 13 moments.
  assert.ok(Math.abs(objective(w, [flat(1, 1.5), flat(1, 1.5), flat(1, 2)]) - (Math.log(1.5) ** 2 / (s * s)) / 13) < 1e-9);
  const acf = MOMENT_KEYS.indexOf("absAcf.1");
  const seeds = [0.2, 0.3, 0.4].map((v) => ({ ...flat(1), absAcf: { ...flat(1).absAcf, 1: v } }) as Facts);
  const wa = momentWeights(flat(1), seeds);
  assert.ok(Math.abs(wa[acf].weight - 1 / 0.01) < 1e-9, "sd 0.1 of 0.2, 0.3, 0.4: weight 100");
});

test("a scale moment off by the same factor costs the same at any size; kurtosis counts from m4/m2² (excess + 3)", () => {
  const at = (std: number) => {
    const w = momentWeights(flat(1, std), [flat(1, std * 0.8), flat(1, std * 1.25)]);
    return objective(w, [flat(1, std * 2), flat(1, std * 2)]);
  };
  assert.ok(Math.abs(at(0.01) - at(10)) < 1e-9);
  const k = MOMENT_KEYS.indexOf("kurtosis.60");
  const real = { ...flat(1), kurtosis: { ...flat(1).kurtosis, 60: -3 + Math.E } } as Facts;
  const w = momentWeights(real, [real, real]);
  assert.ok(Math.abs(w[k].weight - 1 / Math.log1p(RELATIVE_SD_FLOOR) ** 2) < 1e-9, "floored on the log scale");
});

test("a moment the seeds agree on exactly gets the floored sd (5% of its real value; log 1.05 on a log scale), not an infinite weight", () => {
  const w = momentWeights(flat(2), [flat(3), flat(3)]);
  for (const m of w) {
    const floor = ["stdPct", "hill"].includes(m.key) || m.key.startsWith("kurtosis.") ? Math.log1p(RELATIVE_SD_FLOOR) : RELATIVE_SD_FLOOR * 2;
    assert.ok(Math.abs(m.weight - 1 / (floor * floor)) < 1e-9, `${m.key}: ${m.weight}`);
  }
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
