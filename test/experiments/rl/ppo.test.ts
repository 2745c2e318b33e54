// PPO learns CartPole well beyond a random policy in seconds, and a run is a pure function of its seed on a backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CartPole } from "../../../experiments/rl/envs/cartpole.ts";
import { evaluate } from "../../../experiments/rl/policy.ts";
import { trainPpo, type PpoArgs } from "../../../experiments/rl/ppo.ts";
import { CARTPOLE_ZOO } from "../../../experiments/rl/zoo.ts";

/** On wasm, so the figures are the ones measured here. */
const ZOO: PpoArgs = { ...CARTPOLE_ZOO, backend: "wasm" };

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test("PPO learns CartPole: after 12,288 steps its greedy policy balances far longer than random's ~22 steps", async () => {
  const { policy } = await trainPpo(() => new CartPole(), { ...ZOO, totalTimesteps: 12_288, seed: 1 });
  const returns = evaluate(policy, () => new CartPole(), 10, 10_000);
  assert.ok(mean(returns) >= 100, `mean evaluation return ${mean(returns)} (${returns.join(", ")})`);
});

test("two runs with the same seed give the same learning curve and policy; another seed differs", async () => {
  const args = { ...ZOO, totalTimesteps: 1024, updateEpochs: 2 };
  const a = await trainPpo(() => new CartPole(), args);
  const b = await trainPpo(() => new CartPole(), args);
  const c = await trainPpo(() => new CartPole(), { ...args, seed: 2 });
  assert.deepEqual(b.curve, a.curve);
  assert.deepEqual(b.policy.actor.weights, a.policy.actor.weights);
  assert.notDeepEqual(c.policy.actor.weights, a.policy.actor.weights);
});

test("PPO refuses a batch that does not split into whole minibatches, naming the numbers", async () => {
  await assert.rejects(trainPpo(() => new CartPole(), { ...ZOO, numMinibatches: 3 }), /numMinibatches 3 must divide the batch 256/);
});
