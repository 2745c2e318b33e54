// Stylized facts: each statistic by hand on tiny series, and the real BTC/USDT file against its published facts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aggregateReturns,
  autocorrelation,
  correlation,
  excessKurtosis,
  factsToJson,
  hillIndex,
  logReturns,
  REFERENCE_BARS,
  stylizedFacts,
} from "../../experiments/facts.ts";
import { loadOhlcv } from "../../experiments/ohlcv.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

test("log returns are ln(C_t / C_t-1), one fewer than the closes", () => {
  const r = logReturns([100, 110, 99]);
  assert.equal(r.length, 2);
  close(r[0], Math.log(1.1));
  close(r[1], Math.log(0.9));
});

test("k-bar returns sum non-overlapping windows from the first return and drop the incomplete tail", () => {
  assert.deepEqual(aggregateReturns([1, 2, 3, 4, 5, 6, 7], 3), [6, 15]);
  assert.deepEqual(aggregateReturns([1, 2, 3], 1), [1, 2, 3]);
  assert.deepEqual(aggregateReturns([1, 2], 3), []);
});

test("excess kurtosis uses population moments: m4 / m2^2 - 3", () => {
  // deviations -2,-1,0,1,2: m2 = 10/5 = 2, m4 = 34/5 = 6.8, 6.8 / 4 - 3 = -1.3
  close(excessKurtosis([1, 2, 3, 4, 5]), -1.3);
  // mean 0.2: m2 = 0.8/5, m4 = 0.416/5, 5 * 0.416 / 0.64 - 3 = 0.25
  close(excessKurtosis([0, 0, 0, 0, 1]), 0.25);
  assert.ok(Number.isNaN(excessKurtosis([1, 1, 1, 1])), "zero variance is NaN");
  assert.ok(Number.isNaN(excessKurtosis([1, 2, 3])), "fewer than 4 values is NaN");
});

test("autocorrelation is the standard sample ACF with the full-sample mean and variance", () => {
  // deviations -2,-1,0,1,2; sum of squares 10; lag 1: 2+0+0+2 = 4; lag 2: 0-1+0 = -1
  close(autocorrelation([1, 2, 3, 4, 5], 1), 0.4);
  close(autocorrelation([1, 2, 3, 4, 5], 2), -0.1);
  close(autocorrelation([1, -1, 1, -1], 1), -0.75);
  assert.ok(Number.isNaN(autocorrelation([1, 2, 3], 3)), "lag >= n is NaN");
});

test("Hill index: k = floor(fraction * n), threshold the (k+1)-th largest value", () => {
  // k = 2 of 4: ln(8/2) + ln(4/2) = 3 ln 2, mean 1.5 ln 2
  close(hillIndex([1, 8, 2, 4], 0.5), 1 / (1.5 * Math.LN2));
  // 100 values, default 2%: k = 2, threshold 1: (ln e^2 + ln e) / 2 = 1.5
  const x = [Math.E ** 2, Math.E, 1, ...new Array(97).fill(0.5)];
  close(hillIndex(x), 1 / 1.5);
  // Pareto(alpha = 3) quantiles: the estimate recovers alpha
  const n = 100_000;
  const pareto = Array.from({ length: n }, (_, i) => (1 - (i + 0.5) / n) ** (-1 / 3));
  close(hillIndex(pareto), 3, 0.05);
  assert.ok(Number.isNaN(hillIndex([1, 2, 3])), "k < 1 is NaN");
});

test("correlation is Pearson's r", () => {
  close(correlation([1, 2, 3, 4], [2, 4, 6, 8]), 1);
  // deviations (-1.5,-.5,.5,1.5) and (-1.5,.5,-.5,1.5): 4 / sqrt(5 * 5)
  close(correlation([1, 2, 3, 4], [1, 3, 2, 4]), 0.8);
  assert.ok(Number.isNaN(correlation([1, 2, 3], [5, 5, 5])), "a constant series is NaN");
});

test("volumeAbsCorr pairs the volume of bar t with |r_t|, the return ending at bar t's close", () => {
  const closes = [100, 101, 99, 99.5, 103, 102, 102.1, 98, 99, 100];
  const r = logReturns(closes);
  const volume = Float64Array.from([7, ...r.map((v) => 2 + 100 * Math.abs(v))]);
  const f = stylizedFacts({ close: Float64Array.from(closes), volume });
  close(f.volumeAbsCorr, 1);
  const shifted = Float64Array.from([...r.map((v) => 2 + 100 * Math.abs(v)), 7]);
  assert.ok(stylizedFacts({ close: Float64Array.from(closes), volume: shifted }).volumeAbsCorr < 0.99);
  close(f.stdPct, Math.sqrt(r.reduce((s, v) => s + (v - r.reduce((a, b) => a + b) / r.length) ** 2, 0) / (r.length - 1)) * 100);
});

test("facts that cannot be computed on a short series are NaN, and null in JSON", () => {
  const f = stylizedFacts({ close: Float64Array.from([100, 101, 102]), volume: Float64Array.from([1, 2, 3]) });
  assert.equal(f.bars, 3);
  assert.ok(Number.isNaN(f.kurtosis["60"]));
  assert.ok(Number.isNaN(f.absAcf["60"]));
  const j = factsToJson(f) as { kurtosis: Record<string, unknown>; acf: Record<string, unknown> };
  assert.equal(j.kurtosis["1"], null);
  assert.equal(j.acf["5"], null);
});

test("the real BTC/USDT 1-minute file gives its published stylized facts", async () => {
  const f = stylizedFacts(await loadOhlcv(REFERENCE_BARS.path));
  assert.equal(f.bars, 30_240);
  close(f.stdPct, 0.090, 0.001);
  close(f.kurtosis["1"], 28.6, 0.1);
  close(f.kurtosis["5"], 15.8, 0.1);
  assert.ok(f.kurtosis["10"] >= 14 && f.kurtosis["10"] <= 17, `kurtosis at 10 bars ${f.kurtosis["10"]}`);
  close(f.acf["1"], 0.01, 0.005);
  const absAcf = { "1": 0.35, "5": 0.29, "10": 0.26, "30": 0.22, "60": 0.19 } as const;
  for (const [lag, want] of Object.entries(absAcf)) close(f.absAcf[lag as keyof typeof absAcf], want, 0.01);
  close(f.hill, 2.9, 0.05);
  close(f.volumeAbsCorr, 0.52, 0.01);
});
