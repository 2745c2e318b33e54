// Risk config: the defaults, the all-off config, overrides merged onto defaults, and errors naming field and value.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_RISK, parseRiskConfig, RISK_OFF, RiskManager } from "../../../agents/risk/risk-manager.ts";
import { ValidationError } from "../../../market/validate.ts";

test("DEFAULT_RISK holds the issue's numbers; RISK_OFF switches every rule off", () => {
  assert.deepEqual({ ...DEFAULT_RISK }, {
    maxPositionPct: 0.1, maxExposurePct: 0.3, maxOpenTrades: 3, stopLossPct: 0.03, trailingStopPct: 0.03,
    roiPct: 0.05, dailyLossPct: 0.05, circuitBreakerPct: 0.1, circuitPauseMinutes: 1440,
  });
  for (const [k, v] of Object.entries(RISK_OFF)) if (k !== "circuitPauseMinutes") assert.equal(v, null, k);
  assert.ok(Object.isFrozen(DEFAULT_RISK) && Object.isFrozen(RISK_OFF));
});

test("overrides are merged onto the defaults; null switches one rule off; nothing or {} gives the defaults", () => {
  assert.deepEqual(parseRiskConfig(undefined), DEFAULT_RISK);
  assert.deepEqual(parseRiskConfig({}), DEFAULT_RISK);
  const c = parseRiskConfig({ maxPositionPct: 0.2, trailingStopPct: null, circuitPauseMinutes: 60 });
  assert.deepEqual(c, { ...DEFAULT_RISK, maxPositionPct: 0.2, trailingStopPct: null, circuitPauseMinutes: 60 });
  assert.ok(Object.isFrozen(c));
  assert.deepEqual(parseRiskConfig({ ...RISK_OFF }), RISK_OFF);
});

function refusedWith(input: unknown, field: string, message: RegExp, prefix?: string): void {
  assert.throws(() => parseRiskConfig(input, prefix), (err: unknown) => {
    assert.ok(err instanceof ValidationError, String(err));
    assert.equal(err.field, field);
    assert.match(err.message, message);
    return true;
  });
}

test("a bad value is refused naming the field, the value and the rule", () => {
  refusedWith({ maxPositionPct: 1.5 }, "risk.maxPositionPct", /^risk\.maxPositionPct: 1\.5 is invalid: must be a fraction in \(0, 1\]/);
  refusedWith({ maxExposurePct: 0 }, "risk.maxExposurePct", /^risk\.maxExposurePct: 0 is invalid: must be a fraction/);
  refusedWith({ maxOpenTrades: 2.5 }, "risk.maxOpenTrades", /^risk\.maxOpenTrades: 2\.5 is invalid: must be a whole number >= 1/);
  refusedWith({ stopLossPct: 1 }, "risk.stopLossPct", /^risk\.stopLossPct: 1 is invalid: must be a fraction in \(0, 1\)/);
  refusedWith({ trailingStopPct: -0.02 }, "risk.trailingStopPct", /-0\.02 is invalid/);
  refusedWith({ roiPct: "5%" }, "risk.roiPct", /^risk\.roiPct: "5%" is invalid: must be a positive finite gain/);
  refusedWith({ dailyLossPct: NaN }, "risk.dailyLossPct", /NaN is invalid/);
  refusedWith({ circuitBreakerPct: Infinity }, "risk.circuitBreakerPct", /Infinity is invalid/);
  refusedWith({ circuitPauseMinutes: null }, "risk.circuitPauseMinutes", /null is invalid: must be a finite number of minutes >= 0 \(switch the breaker off with circuitBreakerPct: null\)/);
});

test("an unknown key is refused by name; so is input that is not an object; the prefix names the place", () => {
  refusedWith({ stopLoss: 0.03 }, "risk.stopLoss", /^risk\.stopLoss: 0\.03 is invalid: unknown rule \(rule: one of maxPositionPct, /);
  refusedWith([1], "risk", /^risk: \[1\] is invalid/);
  refusedWith("tight", "risk", /^risk: "tight" is invalid/);
  refusedWith({ maxOpenTrades: 0 }, "bots[0].risk.maxOpenTrades", /^bots\[0\]\.risk\.maxOpenTrades: 0 is invalid/, "bots[0].risk");
});

test("the manager checks a config it is given whole, filling nothing in", () => {
  assert.throws(() => new RiskManager({ ...DEFAULT_RISK, maxPositionPct: 2 }), /config\.maxPositionPct: 2 is invalid/);
  const { roiPct: _, ...withoutRoi } = DEFAULT_RISK;
  assert.throws(() => new RiskManager(withoutRoi as never), /config\.roiPct: undefined is invalid/);
  assert.deepEqual(new RiskManager(DEFAULT_RISK).config, DEFAULT_RISK);
});
