// PBO by CSCV: a 6-combination example worked by hand, then the two limits (a dominant configuration, pure noise).
import { test } from "node:test";
import assert from "node:assert/strict";
import seedrandom from "seedrandom";
import { combinations, probabilityOfBacktestOverfitting, sharpeScore } from "../../experiments/metrics/pbo.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const gaussian = (rng: () => number) => () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

test("combinations are enumerated in lexicographic order", () => {
  assert.deepEqual(combinations(4, 2), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  assert.equal(combinations(16, 8).length, 12870);
});

test("worked example: T = 8, N = 3, S = 4 blocks of 2 rows, metric = mean", () => {
  //            A   B   C
  const m = [
    [2, 0, 0], // block 0, sums A 4, B 1, C 0
    [2, 1, 0],
    [1, 1, 1], // block 1, sums A 2, B 2, C 3
    [1, 1, 2],
    [-1, 2, 1], // block 2, sums A −2, B 4, C 1
    [-1, 2, 0],
    [0, 1, 0], // block 3, sums A −1, B 3, C 0
    [-1, 2, 0],
  ];
  // Both halves have 4 rows, so ranking by mean = ranking by block sums.
  // IS blocks | IS sums A,B,C | best | OOS blocks | OOS sums A,B,C | OOS rank of best | ω̄ = rank/4 | λ = ln(ω̄/(1−ω̄))
  // {0,1}     |  6, 3, 3      |  A   | {2,3}      | −3, 7, 1       | 1 (worst)        | 0.25       | ln(1/3) = −1.0986 overfit
  // {0,2}     |  2, 5, 1      |  B   | {1,3}      |  1, 5, 3       | 3 (best)         | 0.75       | ln 3    = +1.0986
  // {0,3}     |  3, 4, 0      |  B   | {1,2}      |  0, 6, 4       | 3                | 0.75       | +1.0986
  // {1,2}     |  0, 6, 4      |  B   | {0,3}      |  3, 4, 0       | 3                | 0.75       | +1.0986
  // {1,3}     |  1, 5, 3      |  B   | {0,2}      |  2, 5, 1       | 3                | 0.75       | +1.0986
  // {2,3}     | −3, 7, 1      |  B   | {0,1}      |  6, 3, 3       | B ties C for ranks 1–2: 1.5 | 0.375 | ln(0.6) = −0.5108 overfit
  // PBO = 2 overfit / 6 combinations = 1/3
  const r = probabilityOfBacktestOverfitting(m, { blocks: 4, metric: mean });
  assert.equal(r.combinations.length, 6);
  assert.deepEqual(r.combinations.map((c) => c.inSample), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  assert.deepEqual(r.combinations.map((c) => c.best), [0, 1, 1, 1, 1, 1]);
  assert.deepEqual(r.combinations.map((c) => c.oosRank), [1, 3, 3, 3, 3, 1.5]);
  assert.deepEqual(r.combinations.map((c) => c.omega), [0.25, 0.75, 0.75, 0.75, 0.75, 0.375]);
  const ln3 = Math.log(3);
  [-ln3, ln3, ln3, ln3, ln3, Math.log(0.6)].forEach((x, i) => close(r.logits[i], x));
  close(r.pbo, 1 / 3);
  assert.equal(r.blockRows, 2);
  assert.equal(r.droppedRows, 0);
});

test("rows that do not fill a block are dropped from the tail", () => {
  const m = [
    [2, 0, 0], [2, 1, 0], [1, 1, 1], [1, 1, 2], [-1, 2, 1], [-1, 2, 0], [0, 1, 0], [-1, 2, 0],
    [1e9, -1e9, 0], // row 8: would change every combination if it were used
  ];
  const r = probabilityOfBacktestOverfitting(m, { blocks: 4, metric: mean });
  assert.equal(r.droppedRows, 1);
  close(r.pbo, 1 / 3);
});

test("the default metric is the per-period Sharpe ratio of the rows", () => {
  // Column 0 has the higher mean but far more spread; column 1 a steady small gain: 1 wins by Sharpe.
  const rows = Array.from({ length: 8 }, (_, t) => [t % 2 === 0 ? 3 : -2.6, 0.1 + 0.01 * (t % 2)]);
  const bySharpe = probabilityOfBacktestOverfitting(rows, { blocks: 2 });
  const byMean = probabilityOfBacktestOverfitting(rows, { blocks: 2, metric: mean });
  assert.deepEqual(bySharpe.combinations.map((c) => c.best), [1, 1]);
  assert.deepEqual(byMean.combinations.map((c) => c.best), [0, 0]);
  // sharpeScore: mean / sample sd; a riskless gain ranks first rather than vanishing as NaN
  close(sharpeScore([1, 3]), 2 / Math.SQRT2);
  assert.equal(sharpeScore([0.1, 0.1]), Infinity);
  assert.equal(sharpeScore([0, 0]), 0);
});

test("a configuration better than every other in every period is never overfit: PBO = 0", () => {
  const gauss = gaussian(seedrandom.alea("pbo-dominant"));
  const N = 6;
  // column 0 earns 1 ± 0.01 each period; the rest are noise with sd 0.1, so column 0 is best in
  // every row and has by far the highest Sharpe ratio on any subset
  const m = Array.from({ length: 96 }, () => [1 + 0.01 * gauss(), ...Array.from({ length: N - 1 }, () => 0.1 * gauss())]);
  const r = probabilityOfBacktestOverfitting(m, { blocks: 8 });
  assert.equal(r.pbo, 0);
  // it wins in sample and ranks N out of sample every time: λ = ln((N/(N+1)) / (1/(N+1))) = ln N
  for (const c of r.combinations) {
    assert.equal(c.best, 0);
    assert.equal(c.oosRank, N);
    close(c.logit, Math.log(N));
  }
  assert.equal(mean(r.logits.map((l) => (l > 0 ? 1 : 0))), 1);
});

test("pure noise: PBO averages about 0.5 over many seeds", () => {
  // N = 10 (even), so the winner's OOS rank is uniform on 1..10 and λ ≤ 0 ⇔ rank ≤ 5: P = 1/2.
  const pbos: number[] = [];
  for (let seed = 0; seed < 40; seed++) {
    const gauss = gaussian(seedrandom.alea(`pbo-noise/${seed}`));
    const m = Array.from({ length: 160 }, () => Array.from({ length: 10 }, () => gauss()));
    pbos.push(probabilityOfBacktestOverfitting(m, { blocks: 8 }).pbo);
  }
  const avg = mean(pbos);
  assert.ok(Math.abs(avg - 0.5) < 0.08, `mean PBO over 40 noise matrices is ${avg}`);
});

test("deterministic: the same matrix gives the same result", () => {
  const gauss = gaussian(seedrandom.alea("pbo-determinism"));
  const m = Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => gauss()));
  assert.deepEqual(probabilityOfBacktestOverfitting(m, { blocks: 4 }), probabilityOfBacktestOverfitting(m, { blocks: 4 }));
});

test("bad shapes are refused", () => {
  const m = [[1, 2], [3, 4], [5, 6], [7, 8]];
  assert.throws(() => probabilityOfBacktestOverfitting(m, { blocks: 3 }), /blocks = 3 must be an even integer/);
  assert.throws(() => probabilityOfBacktestOverfitting(m, { blocks: 6 }), /4 rows cannot be cut into 6 blocks/);
  assert.throws(() => probabilityOfBacktestOverfitting([[1], [2]], { blocks: 2 }), /at least 2 configurations/);
  assert.throws(() => probabilityOfBacktestOverfitting([[1, 2], [3]], { blocks: 2 }), /row 1 has 1 columns/);
  assert.throws(() => probabilityOfBacktestOverfitting(m, { blocks: 2, metric: () => NaN }), /metric returned NaN/);
});
