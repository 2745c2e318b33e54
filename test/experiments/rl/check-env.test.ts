// The env checker passes every env we ship and catches the ways an env breaks the contract.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkEnv } from "../../../experiments/rl/check-env.ts";
import type { Env, ResetResult, StepResult } from "../../../experiments/rl/env.ts";
import { CartPole } from "../../../experiments/rl/envs/cartpole.ts";
import { AvellanedaStoikovEnv, DiscreteAvellanedaStoikovEnv } from "../../../experiments/rl/envs/avellaneda-stoikov.ts";
import { asAgent } from "../../../experiments/rl/as-analytic.ts";
import { balance } from "./balance.ts";

/** Every env in experiments/rl/envs/, with a policy that survives to its time limit. */
const ENVS: ReadonlyArray<{ readonly name: string; readonly make: () => Env<number>; readonly longPolicy: (o: Float32Array) => number }> = [
  { name: "cartpole", make: () => new CartPole(), longPolicy: balance },
];

for (const { name, make, longPolicy } of ENVS) {
  test(`${name} passes the env checker`, () => {
    assert.deepEqual(checkEnv(make, { longPolicy }), []);
  });
}

test("avellaneda-stoikov (continuous quotes, and its discrete grid) passes the env checker under the paper's inventory agent", () => {
  const inventory = asAgent("inventory", 0.1);
  assert.deepEqual(checkEnv(() => new AvellanedaStoikovEnv(), { longPolicy: inventory }), []);
  // Grid point 5 of 11 on each side (1.0 from the mid) survives to the time limit like any policy: the env never terminates.
  assert.deepEqual(checkEnv(() => new DiscreteAvellanedaStoikovEnv(), { longPolicy: () => 5 * 11 + 5 }), []);
});

/** CartPole with one thing broken, to see the checker notice it. */
class Broken extends CartPole {
  constructor(private readonly flaw: "unseeded" | "out-of-bounds" | "nan-reward" | "time-limit-terminates" | "steps-after-done") {
    super();
  }
  override reset(options?: { readonly seed?: number }): ResetResult {
    const r = super.reset(options);
    // The flaw the checker must catch: noise from outside the seeded stream.
    if (this.flaw === "unseeded") r.obs[0] += 1e-3 * Math.random();
    return r;
  }
  override step(action: number): StepResult {
    let r = this.flaw === "steps-after-done" ? this.stepAnyway(action) : super.step(action);
    if (this.flaw === "out-of-bounds") r.obs[2] = 1;
    if (this.flaw === "nan-reward") r = { ...r, reward: NaN };
    if (this.flaw === "time-limit-terminates" && r.truncated) r = { ...r, terminated: true, truncated: false };
    return r;
  }
  private stepAnyway(action: number): StepResult {
    try {
      return super.step(action);
    } catch {
      super.reset();
      return super.step(action);
    }
  }
}

const CAUGHT: ReadonlyArray<readonly [ConstructorParameters<typeof Broken>[0], RegExp]> = [
  ["unseeded", /not deterministic/],
  ["out-of-bounds", /observation element 2 = 1 is outside/],
  ["nan-reward", /reward NaN must be finite/],
  ["time-limit-terminates", /a time limit is a truncation/],
  ["steps-after-done", /step\(\) after terminated or truncated must throw/],
];

for (const [flaw, message] of CAUGHT) {
  test(`the checker catches an env with the flaw "${flaw}"`, () => {
    const problems = checkEnv(() => new Broken(flaw), { longPolicy: balance });
    assert.ok(problems.some((p) => message.test(p)), problems.join("\n"));
  });
}

test("the checker refuses an env whose first reset needs no seed", () => {
  class Unseeded extends CartPole {
    override reset(options?: { readonly seed?: number }): ResetResult {
      return super.reset(options ?? { seed: 0 });
    }
  }
  assert.ok(checkEnv(() => new Unseeded()).some((p) => /without a seed must throw/.test(p)));
});
