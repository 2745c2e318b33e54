// Φ, Φ⁻¹, the probabilistic and the deflated Sharpe ratio, against reference values and the paper's worked example.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cumulativeStdNormalProbability, probit } from "simple-statistics";
import seedrandom from "seedrandom";
import { deflatedSharpe, expectedMaxSharpe, probabilisticSharpe, sharpeMoments } from "../../experiments/metrics/deflated-sharpe.ts";
import { normalCdf, normalQuantile } from "../../experiments/metrics/normal.ts";
import { overfittingReport } from "../../experiments/metrics/overfitting.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);
const rel = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol * Math.abs(b), `${a} is not within ${tol} (relative) of ${b}`);

test("Φ matches reference values to 1e-15, and keeps relative precision deep in the tail", () => {
  // references: R pnorm / mpmath, 16 digits
  close(normalCdf(1.96), 0.9750021048517795, 1e-15);
  close(normalCdf(-1), 0.15865525393145707, 1e-15);
  close(normalCdf(0.5), 0.6914624612740131, 1e-15);
  close(normalCdf(3), 0.9986501019683699, 1e-15);
  assert.equal(normalCdf(0), 0.5);
  rel(normalCdf(-3), 0.0013498980316301, 1e-13);
  rel(normalCdf(-5), 2.866515718791939e-7, 1e-13);
  rel(normalCdf(-10), 7.619853024160527e-24, 1e-13);
  assert.equal(normalCdf(Infinity), 1);
  assert.equal(normalCdf(-Infinity), 0);
  assert.throws(() => normalCdf(NaN), RangeError);
});

test("Φ⁻¹ matches reference values and inverts Φ", () => {
  close(normalQuantile(0.975), 1.959963984540054, 1e-14);
  close(normalQuantile(0.99), 2.3263478740408408, 1e-14);
  close(normalQuantile(0.3), -0.5244005127080407, 1e-14);
  rel(normalQuantile(1e-10), -6.361340902404056, 1e-14);
  assert.equal(normalQuantile(0.5), 0);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  for (const x of [-8, -4.5, -2, -0.3, 0.7, 1.5, 3.3, 6]) close(normalQuantile(normalCdf(x)), x, 1e-9 * Math.max(1, Math.abs(x) ** 3));
  assert.throws(() => normalQuantile(1.5), /probability 1.5 must be in \[0, 1\]/);
});

test("simple-statistics' normal functions are too coarse for this (why normal.ts exists)", () => {
  assert.ok(Math.abs(probit(0.975) - 1.959963984540054) > 1e-3, "probit(0.975) is 1.9572");
  assert.equal(cumulativeStdNormalProbability(1.96), 0.975, "a 2-decimal table lookup");
});

test("sample moments by hand: SR with n − 1, skew and raw kurtosis with population moments", () => {
  // r = 0.1, −0.1, 0.1, 0.1: mean 0.05, deviations d = 0.05, −0.15, 0.05, 0.05
  // sd = √(0.03 / 3) = 0.1 → SR = 0.5
  // m2 = 0.03/4 = 0.0075; m3 = (3·0.000125 − 0.003375)/4 = −0.00075; m4 = (3·0.00000625 + 0.00050625)/4 = 0.00013125
  // skew = −0.00075 / 0.0075^1.5 = −2/√3 = −1.1547005384; kurtosis = 0.00013125 / 0.0075² = 7/3
  const m = sharpeMoments([0.1, -0.1, 0.1, 0.1]);
  close(m.sharpe, 0.5);
  close(m.skew, -2 / Math.sqrt(3));
  close(m.kurtosis, 7 / 3);
  assert.equal(m.observations, 4);
  assert.throws(() => sharpeMoments([0.01, 0.01, 0.01]), /zero variance/);
});

test("PSR by hand on normal returns: SR 0.1 over T = 101, benchmark 0", () => {
  // skew 0, kurtosis 3: variance term 1 − 0 + (3 − 1)/4 · 0.01 = 1.005
  // z = (0.1 − 0) · √100 / √1.005 = 1 / 1.00249688 = 0.9975093361; Φ(z) = 0.8407413278
  close(probabilisticSharpe({ sharpe: 0.1, benchmark: 0, observations: 101, skew: 0, kurtosis: 3 }), 0.8407413278, 1e-9);
  // at its own benchmark PSR is exactly one half
  assert.equal(probabilisticSharpe({ sharpe: 0.2, benchmark: 0.2, observations: 50, skew: -1, kurtosis: 6 }), 0.5);
  // negative skew and fat tails widen the SR's error, so the same SR is less convincing
  const normal = probabilisticSharpe({ sharpe: 0.1, benchmark: 0, observations: 101, skew: 0, kurtosis: 3 });
  const fat = probabilisticSharpe({ sharpe: 0.1, benchmark: 0, observations: 101, skew: -2, kurtosis: 12 });
  assert.ok(fat < normal);
  assert.throws(() => probabilisticSharpe({ sharpe: 1, benchmark: 0, observations: 10, skew: 5, kurtosis: 1 }), /must be > 0/);
  assert.throws(() => probabilisticSharpe({ sharpe: 1, benchmark: 0, observations: 1, skew: 0, kurtosis: 3 }), /observations = 1/);
});

test("DSR: the numerical example of Bailey & López de Prado (2014)", () => {
  // The paper's example: the best of N = 100 trials has an annualised SR of 2.5 over 5 years of
  // daily returns (T = 1250, 250 days a year), skewness −3, kurtosis 10; the trials' annualised
  // SRs have variance 1/2. Everything goes in per period (daily), as in the paper:
  //   SR̂ = 2.5 / √250 = 0.1581138830
  //   V   = 0.5 / 250 = 0.002, √V = 0.0447213595
  //   Φ⁻¹(1 − 1/100) = Φ⁻¹(0.99) = 2.3263478740
  //   Φ⁻¹(1 − 1/(100e)) = Φ⁻¹(0.9963212056) = 2.6802104450
  //   (1 − γ)·2.3263478740 + γ·2.6802104450 = 0.9835434391 + 1.5470594541 = 2.5306028932   (γ = 0.5772156649)
  //   SR₀ = 0.0447213595 · 2.5306028932 = 0.1131720019   (the paper: 0.1132)
  //   variance term 1 − γ3·SR̂ + (γ4 − 1)/4·SR̂² = 1 + 3·0.1581138830 + 2.25·0.025 = 1.5305916490, √ = 1.2371708245
  //   z = (0.1581138830 − 0.1131720019) · √1249 / 1.2371708245 = 0.0449418811 · 35.3411941 / 1.2371708245 = 1.2838160365
  //   DSR = Φ(1.2838160365) = 0.9003968344   (the paper: 0.9004)
  // Without deflation, PSR(0): z = 0.1581138830 · 35.3411941 / 1.2371708245 = 4.5167032051, Φ = 0.9999968595.
  const r = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), observations: 1250, skew: -3, kurtosis: 10, trials: 100, trialSharpeVariance: 0.5 / 250 });
  close(r.benchmark, 0.1131720019, 1e-10);
  close(r.dsr, 0.9003968344, 1e-10);
  close(r.psr, 0.9999968595, 1e-10);
  assert.equal(r.benchmark.toFixed(4), "0.1132");
  assert.equal(r.dsr.toFixed(4), "0.9004");
});

test("the expected maximum Sharpe grows with the number of trials and with √V; one trial selects nothing", () => {
  assert.equal(expectedMaxSharpe(1, 0.5), 0);
  // N = 2, V = 1: (1 − γ)·Φ⁻¹(0.5) + γ·Φ⁻¹(1 − 1/(2e)) = 0 + 0.5772156649 · Φ⁻¹(0.8160602794)
  close(expectedMaxSharpe(2, 1), 0.5772156649015329 * normalQuantile(1 - 1 / (2 * Math.E)), 1e-15);
  let prev = 0;
  for (const n of [2, 5, 10, 100, 1000, 1e6]) {
    const e = expectedMaxSharpe(n, 1);
    assert.ok(e > prev, `E[max] for N=${n}`);
    prev = e;
  }
  close(expectedMaxSharpe(100, 4), 2 * expectedMaxSharpe(100, 1), 1e-15);
  assert.throws(() => expectedMaxSharpe(0, 1), /trials = 0/);
  assert.throws(() => expectedMaxSharpe(10, -1), /variance/);
});

test("the overfitting report of a search: DSR of the best column and PBO of all", () => {
  const rng = seedrandom.alea("dsr-report");
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  // 20 worthless configurations over 400 periods: the best in-sample SR is luck, so DSR is low.
  const returns = Array.from({ length: 400 }, () => Array.from({ length: 20 }, () => 0.01 * gauss()));
  const rep = overfittingReport(returns, { blocks: 8 });
  assert.equal(rep.trials, 20);
  const srs = Array.from({ length: 20 }, (_, n) => sharpeMoments(returns.map((row) => row[n])).sharpe);
  assert.equal(rep.best, srs.indexOf(Math.max(...srs)));
  const again = deflatedSharpe({ ...rep.moments, trials: 20, trialSharpeVariance: rep.trialSharpeVariance });
  assert.deepEqual(rep.deflated, again);
  assert.ok(rep.deflated.dsr < rep.deflated.psr, "deflation lowers the probability");
  assert.ok(rep.deflated.dsr < 0.9, `noise should not look significant after deflation (DSR ${rep.deflated.dsr})`);
  assert.equal(rep.pbo.combinations.length, 70);
});
