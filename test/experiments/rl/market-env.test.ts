// MarketEnv: a scenario as an RL env keeps the env contract, ends episodes by the rules, and pays equity changes as reward.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertEnv } from "../../../experiments/rl/check-env.ts";
import { MarketEnv } from "../../../experiments/rl/envs/market.ts";
import { builtinSpec } from "../../../scenarios/builtins.ts";

const normal = builtinSpec("normal");
const small = { episodeSteps: 120, warmupSec: 240, decisionSec: 1 };

test("the market env on normal passes the env checker (determinism, spaces, bounds, truncated at the time limit)", () => {
  assertEnv(() => new MarketEnv(normal, small), { seed: 3, steps: 300, longPolicy: () => 0 });
});

test("going bust terminates (not truncates) the episode", () => {
  const env = new MarketEnv(normal, { ...small, bustFraction: 0.9999 });
  env.reset({ seed: 1 });
  // Buy with all the equity: the taker fee and the spread take it under 99.99% of the start.
  const r = env.step(3);
  assert.equal(r.terminated, true);
  assert.equal(r.truncated, false);
  assert.throws(() => env.step(0), /after the episode ended/);
});

test("with no penalties the reward is the change in equity in bps of the starting equity (rewardScale 1e4); holding cash earns 0", () => {
  const env = new MarketEnv(normal, { ...small, drawdownPenalty: 0, riskPenalty: 0, rewardScale: 1e4 });
  env.reset({ seed: 2 });
  let total = 0;
  let last = env.step(3);
  total += last.reward;
  assert.ok(env.equity.now < env.equity.start, "a market buy pays fees and spread");
  for (let t = 1; t < 60; t++) {
    last = env.step(t % 10 === 0 ? 6 : 0);
    total += last.reward;
  }
  assert.ok(Math.abs(total - ((env.equity.now - env.equity.start) / env.equity.start) * 1e4) < 1e-6);
  const cash = new MarketEnv(normal, small);
  cash.reset({ seed: 2 });
  for (let t = 0; t < 30; t++) assert.equal(cash.step(0).reward, 0);
});

test("options are checked: an episode past the scenario's duration is refused naming the fields", () => {
  assert.throws(() => new MarketEnv(normal, { episodeSteps: 100_000, decisionSec: 1 }), /warmupSec 1800 \+ episodeSteps 100000 × decisionSec 1 = 101800 s is past the scenario normal's duration of 86400 s/);
  assert.throws(() => new MarketEnv(normal, { actionSizes: [] }), /actionSizes/);
});

test("training scenarios: the built-in episodes are found by name beside the five scenarios; an unknown name lists them", async () => {
  const { loadScenario } = await import("../../../experiments/rl/env-spec.ts");
  const ftx = await loadScenario("ftx-collapse-2022");
  assert.equal(ftx.name, "ftx-collapse-2022");
  assert.ok(ftx.fundamental.path !== undefined, "an episode's latent value follows its real path");
  await assert.rejects(loadScenario("nope"), /not a built-in \(known: normal, .*banking-crisis-2023, ftx-collapse-2022\)/);
});
