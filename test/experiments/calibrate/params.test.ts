// The parameter table calibrate may move: every bound is a scenario the schemas accept, values map to the search's unit cube and back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applies, CALIBRATION_PARAMS, fromUnit, toUnit, valueIn, withValues } from "../../../experiments/calibrate/params.ts";
import { typeRegistry } from "../../../scenarios/build.ts";
import { BUILTIN_SPECS } from "../../../scenarios/builtins.ts";
import { parseScenario } from "../../../scenarios/spec.ts";

const NORMAL = BUILTIN_SPECS.normal as Record<string, unknown>;

test("every parameter at either bound, and all at once, gives a scenario spec.ts and the agents' schemas accept", () => {
  assert.ok(CALIBRATION_PARAMS.every((p) => applies(NORMAL, p)), "normal has every population the table moves");
  for (const end of ["lo", "hi"] as const) {
    for (const p of CALIBRATION_PARAMS) parseScenario(withValues(NORMAL, [p], [p[end]]), typeRegistry());
    const spec = parseScenario(withValues(NORMAL, CALIBRATION_PARAMS, CALIBRATION_PARAMS.map((p) => p[end])), typeRegistry());
    assert.equal(spec.fundamental.sigmaPerSqrtHour, CALIBRATION_PARAMS[0][end]);
  }
  for (const p of CALIBRATION_PARAMS) assert.ok(p.lo > 0 && p.lo < p.hi, `${p.name}: log-scaled bounds must be positive and ordered`);
});

test("values are read from the scenario, or the type's default when it leaves one out; setting one leaves the input alone", () => {
  const byName = (n: string) => CALIBRATION_PARAMS.find((p) => p.name === n)!;
  const spec = {
    fundamental: { sigmaPerSqrtHour: 0.004 },
    populations: [
      { type: "noise", count: 60, params: { ratePerMin: 3 } },
      { type: "fundamental", count: 20, params: { ratePerMin: 10 } },
      { type: "momentum", count: 10, params: {} },
    ],
  };
  assert.equal(valueIn(spec, byName("sigmaPerSqrtHour")), 0.004);
  assert.equal(valueIn(spec, byName("kappaPerHour")), 0.05, "left at the fundamental's default");
  assert.equal(valueIn(spec, byName("noise.count")), 60);
  assert.equal(valueIn(spec, byName("fundamental.ratePerMin")), 10);
  assert.equal(valueIn(spec, byName("momentum.ratePerMin")), 1, "momentum's default rate");
  const moved = withValues(spec, [byName("momentum.ratePerMin"), byName("fundamental.count")], [2, 30]);
  assert.equal(valueIn(moved, byName("momentum.ratePerMin")), 2);
  assert.equal(valueIn(moved, byName("fundamental.count")), 30);
  assert.equal(valueIn(spec, byName("fundamental.count")), 20, "the input is not changed");
  assert.equal(applies(spec, byName("market-maker.count")), false);
  assert.equal(valueIn(spec, byName("activity.volOfVolPerSqrtHour")), 0, "activity left off");
  const active = withValues(spec, [byName("activity.volOfVolPerSqrtHour")], [1.5]);
  assert.deepEqual((active as { activity?: unknown }).activity, { volOfVolPerSqrtHour: 1.5 });
  assert.equal(valueIn(active, byName("activity.reversionPerHour")), 1, "activity's default reversion");
});

test("the unit cube maps log-uniformly onto the bounds, counts to whole numbers, values outside clipped", () => {
  const sigma = CALIBRATION_PARAMS[0];
  assert.equal(fromUnit(sigma, 0), sigma.lo);
  assert.equal(fromUnit(sigma, 1), sigma.hi);
  assert.equal(fromUnit(sigma, 0.5), 0.005, "the geometric mean of 0.0005 and 0.05");
  assert.ok(Math.abs(toUnit(sigma, 0.005) - 0.5) < 1e-12);
  assert.equal(toUnit(sigma, 10), 1);
  assert.equal(toUnit(sigma, 0), 0);
  const count = CALIBRATION_PARAMS.find((p) => p.integer)!;
  assert.ok(Number.isInteger(fromUnit(count, 0.37)));
});
