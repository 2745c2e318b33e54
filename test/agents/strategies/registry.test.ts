// The strategy registry: six names, defaults from {} (memory-rsi needs its memory folder), and refusals that name the field, the value and the rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStrategy, STRATEGIES, strategyNames } from "../../../agents/strategies/registry.ts";
import { TIMEFRAMES } from "../../../agents/strategies/params.ts";
import { refusal } from "./refusal.ts";

/** The strategies built from {}; memory-rsi also needs `memory` (test/agents/strategies/memory-rsi.test.ts). */
const NAMES = ["sma-cross", "trend-following", "mean-reversion", "breakout", "ensemble"];
const ALL = [...NAMES, "memory-rsi"];

test("the registry names exactly the six strategies, each built from {} with its defaults but memory-rsi, which names the field it needs", () => {
  assert.deepEqual(strategyNames(), ALL);
  assert.deepEqual(Object.keys(STRATEGIES), ALL);
  for (const name of NAMES) assert.equal(STRATEGIES[name].needs, undefined);
  assert.deepEqual(Object.keys(STRATEGIES["memory-rsi"].needs ?? {}), ["memory"]);
  const e = refusal(() => createStrategy("memory-rsi"));
  assert.equal(e.field, "params.memory");
  for (const name of NAMES) {
    const s = createStrategy(name);
    assert.equal(s.name, name);
    assert.equal(s.timeframe, "1h");
    assert.ok(Number.isInteger(s.startupBars) && s.startupBars > 0);
    assert.ok(STRATEGIES[name].describe.length > 10);
  }
});

test("an unknown name is refused naming `strategy`, the value and the known names", () => {
  const e = refusal(() => createStrategy("sma-crosss"));
  assert.equal(e.field, "strategy");
  assert.match(e.message, /^strategy: "sma-crosss" is invalid: unknown strategy/);
  for (const name of ALL) assert.ok(e.message.includes(name), e.message);
  assert.equal(refusal(() => createStrategy("toString")).field, "strategy", "no prototype keys");
});

test("invalid params are refused as params.FIELD: value is invalid: rule", () => {
  let e = refusal(() => createStrategy("sma-cross", { fast: -3 }));
  assert.equal(e.field, "params.fast");
  assert.match(e.message, /^params\.fast: -3 is invalid: /);
  e = refusal(() => createStrategy("sma-cross", { fast: 30, slow: 10 }));
  assert.equal(e.message, "params.fast: 30 is invalid: fast must be shorter than slow");
  e = refusal(() => createStrategy("trend-following", { mid: 60 }));
  assert.equal(e.message, "params.mid: 60 is invalid: mid must be shorter than slow");
  e = refusal(() => createStrategy("mean-reversion", { oversold: 80 }));
  assert.equal(e.field, "params.oversold");
  e = refusal(() => createStrategy("ensemble", { trend: { fast: 30 } }));
  assert.equal(e.message, "params.trend.fast: 30 is invalid: fast must be shorter than mid");
  e = refusal(() => createStrategy("breakout", { stoploss: 0.05 }));
  assert.match(e.message, /^params\.stoploss: 0\.05 is invalid: /);
  e = refusal(() => createStrategy("ensemble", { roi: [[0, 0.1], [0, 0.2]] }));
  assert.equal(e.message, 'params.roi: [[0,0.1],[0,0.2]] is invalid: ROI minutes must be distinct');
  e = refusal(() => createStrategy("sma-cross", { fats: 3 }));
  assert.match(e.message, /fats/, "unknown keys are named");
});

test("timeframe is one of 1m, 5m, 15m, 1h, 4h, 1d for every strategy", () => {
  assert.deepEqual([...TIMEFRAMES], ["1m", "5m", "15m", "1h", "4h", "1d"]);
  for (const name of NAMES) {
    assert.equal(createStrategy(name, { timeframe: "4h" }).timeframe, "4h");
    const e = refusal(() => createStrategy(name, { timeframe: "2h" }));
    assert.match(e.message, /^params\.timeframe: "2h" is invalid: /);
  }
});

test("exits are overridable on every strategy; sma-cross has none by default, the others -5% / 10%", () => {
  assert.deepEqual(createStrategy("sma-cross").exits, { stoploss: null, roi: [], trailing: null });
  for (const name of NAMES.slice(1)) assert.deepEqual(createStrategy(name).exits, { stoploss: -0.05, roi: [[0, 0.1]], trailing: null });
  for (const name of NAMES) {
    const s = createStrategy(name, { stoploss: -0.02, roi: [[60, 0.01], [0, 0.04]], trailing: { distance: 0.03 } });
    assert.deepEqual(s.exits, { stoploss: -0.02, roi: [[60, 0.01], [0, 0.04]], trailing: { distance: 0.03, offset: 0 } });
  }
});

test("each call builds an independent strategy: defaults are not shared mutable state", () => {
  const a = createStrategy("ensemble");
  const b = createStrategy("ensemble");
  assert.notEqual(a, b);
  assert.notEqual(a.exits.roi, b.exits.roi);
  assert.ok(Object.isFrozen(a.exits.roi));
});
