// PPO with rollouts on worker threads: learns CartPole, is a pure function of its seed, and gives the same run on any count from 2 up.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CartPole } from "../../../experiments/rl/envs/cartpole.ts";
import { envSlices } from "../../../experiments/rl/parallel-rollouts.ts";
import { evaluate } from "../../../experiments/rl/policy.ts";
import { trainPpo, type PpoArgs } from "../../../experiments/rl/ppo.ts";
import { CARTPOLE_ZOO } from "../../../experiments/rl/zoo.ts";

const ZOO: PpoArgs = { ...CARTPOLE_ZOO, backend: "wasm" };
const CARTPOLE = { kind: "env", name: "cartpole" } as const;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test("PPO on 2 rollout workers learns CartPole: after 12,288 steps its greedy policy balances far longer than random's ~22 steps", async () => {
  const { policy } = await trainPpo(CARTPOLE, { ...ZOO, totalTimesteps: 12_288, seed: 1, workers: 2 });
  const returns = evaluate(policy, () => new CartPole(), 10, 10_000);
  assert.ok(mean(returns) >= 100, `mean evaluation return ${mean(returns)} (${returns.join(", ")})`);
});

test("on workers: the same seed gives the same curve and policy run to run, on 2 workers or 3; 1 worker (the in-thread path) differs", async () => {
  const args = { ...ZOO, totalTimesteps: 1024, updateEpochs: 2, seed: 4 };
  const strip = (c: readonly { rolloutMs: number; updateMs: number }[]) => c.map((s) => ({ ...s, rolloutMs: 0, updateMs: 0 }));
  const a = await trainPpo(CARTPOLE, { ...args, workers: 2 });
  const b = await trainPpo(CARTPOLE, { ...args, workers: 2 });
  const c = await trainPpo(CARTPOLE, { ...args, workers: 3 });
  const one = await trainPpo(CARTPOLE, { ...args, workers: 1 });
  assert.deepEqual(strip(b.curve), strip(a.curve));
  assert.deepEqual(b.policy.actor, a.policy.actor);
  assert.deepEqual(b.policy.normalizer, a.policy.normalizer);
  assert.deepEqual(c.policy.actor, a.policy.actor);
  assert.notDeepEqual(one.policy.actor.weights, a.policy.actor.weights);
});

test("the envs split into contiguous slices differing by at most one", () => {
  assert.deepEqual(envSlices(8, 3), [[0, 1], [2, 3, 4], [5, 6, 7]]);
  assert.deepEqual(envSlices(4, 4), [[0], [1], [2], [3]]);
});

test("workers above 1 need a spec and at most one worker per env, named in the error", async () => {
  await assert.rejects(trainPpo(() => new CartPole(), { ...ZOO, workers: 2 }), /ppo workers 2: worker threads build their envs from an EnvSpec/);
  await assert.rejects(trainPpo(CARTPOLE, { ...ZOO, workers: 9 }), /ppo workers 9 must be an integer from 2 to the 8 envs/);
  await assert.rejects(trainPpo(CARTPOLE, { ...ZOO, workers: 0 }), /ppo workers 0 must be a positive integer/);
  await assert.rejects(trainPpo({ kind: "env", name: "pong" }, { ...ZOO, workers: 2 }), /env "pong" is not a built-in environment/);
});
