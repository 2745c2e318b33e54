import { test } from "node:test";
import assert from "node:assert/strict";
import { mean, standardDeviation } from "simple-statistics";
import { Activity } from "../../agents/activity.ts";
import { buildScenario, typeRegistry } from "../../scenarios/build.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { Rng } from "../../sim/rng.ts";

const MINUTE = 60_000_000_000;

test("activity is a multiplier of mean 1 whose log varies by its stationary spread", () => {
  const p = { volOfVolPerSqrtHour: 1, reversionPerHour: 2 };
  const stationary = 1 / Math.sqrt(2 * 2);
  const at10h = Array.from({ length: 2000 }, (_, i) => new Activity(p, Rng.root(i + 1)).at(600 * MINUTE));
  assert.ok(Math.abs(mean(at10h) - 1) < 0.05, `mean multiplier ${mean(at10h)}`);
  const sdLog = standardDeviation(at10h.map(Math.log));
  assert.ok(Math.abs(sdLog - stationary) < 0.05, `log spread ${sdLog}, expected ${stationary}`);
  // It starts from that spread too: no calm first hour in every run.
  const at0 = Array.from({ length: 2000 }, (_, i) => new Activity(p, Rng.root(i + 1)).at(0));
  assert.ok(Math.abs(standardDeviation(at0.map(Math.log)) - stationary) < 0.05);
});

test("activity draws the same multipliers whatever times are asked", () => {
  const p = { volOfVolPerSqrtHour: 1.5, reversionPerHour: 1 };
  const a = new Activity(p, Rng.root(9));
  const b = new Activity(p, Rng.root(9));
  const direct = a.at(120 * MINUTE);
  for (let m = 0; m < 120; m++) b.at(m * MINUTE + 7);
  assert.equal(b.at(120 * MINUTE), direct);
});

/** Per-10-minute volumes of a two-hour world of noise traders and a market maker. */
async function tenMinuteVolumes(activity: unknown, seed: number): Promise<number[]> {
  const spec = parseScenario({
    name: "activity-test", duration: "2h", initialPrice: 30_000, activity,
    populations: [{ type: "noise", count: 12, params: { ratePerMin: 3 } }, { type: "market-maker", count: 2 }],
  }, typeRegistry());
  const { kernel } = buildScenario(spec, seed);
  await kernel.run(spec.duration);
  kernel.bars.finish(spec.duration);
  const v = kernel.bars.volumes();
  return Array.from({ length: Math.floor(v.length / 10) }, (_, i) => v.slice(10 * i, 10 * i + 10).reduce((x, y) => x + y, 0));
}

test("with activity on, the noise flow's volume swings far more than a constant-rate flow's", async () => {
  const cv = (xs: number[]) => standardDeviation(xs) / mean(xs);
  const off: number[] = [];
  const on: number[] = [];
  for (const seed of [1, 2, 3]) {
    off.push(cv(await tenMinuteVolumes({}, seed)));
    on.push(cv(await tenMinuteVolumes({ volOfVolPerSqrtHour: 3, reversionPerHour: 2 }, seed)));
  }
  assert.ok(mean(on) > 1.5 * mean(off), `coefficient of variation of 10-minute volume: on ${on}, off ${off}`);
});
