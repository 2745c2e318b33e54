import { test } from "node:test";
import assert from "node:assert/strict";
import { FUNDAMENTAL_DEFAULTS, Fundamental, type FundamentalParams } from "../../agents/fundamental.ts";
import { Rng } from "../../sim/rng.ts";
import { sampleCorrelation, standardDeviation } from "simple-statistics";

const SECOND = 1_000_000_000;
const quiet: FundamentalParams = { ...FUNDAMENTAL_DEFAULTS, initial: 30_000, sigmaPerSqrtHour: 0, jumpsPerDay: 0, kappaPerHour: 0 };

/** The log-value increments of each one-second step over `seconds`. */
function increments(f: Fundamental, seconds: number): number[] {
  const out: number[] = [];
  let prev = Math.log(f.valueAt(0));
  for (let s = 1; s <= seconds; s++) {
    const v = Math.log(f.valueAt(s * SECOND));
    out.push(v - prev);
    prev = v;
  }
  return out;
}

test("news drifts the value one way at a constant rate for newsMinutes, then stops", () => {
  const p = { ...quiet, newsPerDay: 24, newsSigma: 0.02, newsMinutes: 10 };
  const inc = increments(new Fundamental(p, Rng.root(3)), 6 * 3600);
  // Runs of equal non-zero increments: each news is exactly 600 one-second steps long.
  const runs: number[] = [];
  for (let i = 0; i < inc.length; ) {
    let j = i;
    while (j < inc.length && inc[j] === inc[i]) j++;
    if (inc[i] !== 0) runs.push(j - i);
    i = j;
  }
  assert.ok(runs.length >= 2, `expected some news in 6 hours at 24 a day, got ${runs.length}`);
  const last = runs.at(-1)!;
  for (const r of runs.slice(0, -1)) assert.equal(r % 600, 0, `a news lasted ${r} s`);
  assert.ok(last <= 600 || last % 600 === 0);
});

test("news moves the anchor too: the value's reversion to its anchor does not undo it", () => {
  const p = { ...quiet, newsPerDay: 24, newsSigma: 0.05, newsMinutes: 5 };
  const end = 12 * 3600 * SECOND;
  const free = new Fundamental(p, Rng.root(7)).valueAt(end);
  const anchored = new Fundamental({ ...p, kappaPerHour: 1 }, Rng.root(7)).valueAt(end);
  assert.ok(Math.abs(Math.log(free / 30_000)) > 0.02, `the news moved the value (${free})`);
  assert.ok(Math.abs(Math.log(anchored / free)) < 1e-3, `reverting at 1 an hour, ${anchored} vs ${free} without reversion`);
});

test("the slow volatility factor starts each run at a draw from its stationary spread", () => {
  const slow = { ...quiet, sigmaPerSqrtHour: 0.01, slowVolOfVolPerSqrtHour: 0.1, slowVolReversionPerHour: 0.02 };
  const stationarySd = 0.1 / Math.sqrt(2 * 0.02);
  const logRealised = (p: FundamentalParams, seed: number) => Math.log(standardDeviation(increments(new Fundamental(p, Rng.root(seed)), 120)));
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);
  const spreadWith = standardDeviation(seeds.map((s) => logRealised(slow, s)));
  const spreadWithout = standardDeviation(seeds.map((s) => logRealised({ ...slow, slowVolOfVolPerSqrtHour: 0 }, s)));
  // The first two minutes' volatility varies across runs by about the factor's stationary sd (0.5).
  assert.ok(Math.abs(spreadWith - stationarySd) < 0.1, `log-volatility spread across runs ${spreadWith}, expected about ${stationarySd}`);
  assert.ok(spreadWithout < 0.1, `without the factor the spread is sampling noise only, got ${spreadWithout}`);
});

test("the middle volatility factor holds a run's turbulence for hours, not minutes", () => {
  const mid = { ...quiet, sigmaPerSqrtHour: 0.01, midVolOfVolPerSqrtHour: 0.3, midVolReversionPerHour: 0.1 };
  // log realised volatility of the first two minutes, and of two minutes an hour later, per run
  const pairs = (p: FundamentalParams) =>
    Array.from({ length: 200 }, (_, i) => {
      const steps = increments(new Fundamental(p, Rng.root(i + 1)), 3720);
      return [Math.log(standardDeviation(steps.slice(0, 120))), Math.log(standardDeviation(steps.slice(3600)))];
    });
  const corr = (p: FundamentalParams) => {
    const xy = pairs(p);
    return sampleCorrelation(xy.map((v) => v[0]), xy.map((v) => v[1]));
  };
  const withMid = corr(mid);
  const withoutMid = corr({ ...mid, midVolOfVolPerSqrtHour: 0 });
  // Stationary sd 0.3 / sqrt(0.2) = 0.67 and an hour's decay exp(-0.1): a calm or turbulent start is still there an hour on.
  assert.ok(withMid > 0.6, `correlation of the volatility an hour apart ${withMid}`);
  assert.ok(Math.abs(withoutMid) < 0.3, `without the factor only sampling noise, got ${withoutMid}`);
});

test("the same seed draws the same path whatever times are asked", () => {
  const p = { ...FUNDAMENTAL_DEFAULTS, initial: 30_000, volOfVolPerSqrtHour: 0.8, midVolOfVolPerSqrtHour: 0.3, slowVolOfVolPerSqrtHour: 0.1, newsPerDay: 10 };
  const a = new Fundamental(p, Rng.root(5));
  const b = new Fundamental(p, Rng.root(5));
  const coarse = [3600, 7200].map((s) => a.valueAt(s * SECOND));
  const fine: number[] = [];
  for (let s = 1; s <= 7200; s++) {
    const v = b.valueAt(s * SECOND);
    if (s % 3600 === 0) fine.push(v);
  }
  assert.deepEqual(coarse, fine);
});
