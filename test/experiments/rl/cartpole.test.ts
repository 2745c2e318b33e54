// CartPole-v1 follows Gymnasium's physics step for step, starts in ±0.05, and stops at its thresholds or at 500 steps.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CartPole, MAX_EPISODE_STEPS, THETA_THRESHOLD, X_THRESHOLD } from "../../../experiments/rl/envs/cartpole.ts";
import { balance } from "./balance.ts";

/** Gymnasium's step, applied in Python (float64) from the state reset({ seed: 7 }) draws. */
const START = [0.021747941058129078, -0.01894942428916693, 0.013451160490512842, 0.04172204926144332];
const AFTER: ReadonlyArray<readonly [number, readonly number[]]> = [
  [1, [0.02136895257234574, 0.17597708322904992, 0.014285601475741708, -0.24668673890069207]],
  [0, [0.02488849423692674, -0.01934595196413283, 0.009351866697727867, 0.05046774246829741]],
  [0, [0.024501575197644083, -0.21460074211822058, 0.010361221547093815, 0.34608652916668037]],
];

test("three steps match Gymnasium's CartPole-v1 computed by hand, observed as float32", () => {
  const env = new CartPole();
  assert.deepEqual(Array.from(env.reset({ seed: 7 }).obs), START.map(Math.fround));
  for (const [action, state] of AFTER) {
    const r = env.step(action);
    assert.deepEqual(Array.from(r.obs), state.map(Math.fround));
    assert.equal(r.reward, 1);
    assert.equal(r.terminated, false);
    assert.equal(r.truncated, false);
  }
});

test("reset draws every state element uniformly in [-0.05, 0.05)", () => {
  const env = new CartPole();
  env.reset({ seed: 3 });
  for (let i = 0; i < 200; i++) {
    for (const v of env.reset().obs) assert.ok(v >= -0.05 && v < 0.05, `${v}`);
  }
});

test("always pushing right terminates (pole angle or cart position past its threshold), not truncates", () => {
  const env = new CartPole();
  env.reset({ seed: 1 });
  let steps = 0;
  for (;;) {
    const r = env.step(1);
    steps++;
    if (r.terminated || r.truncated) {
      assert.equal(r.terminated, true);
      assert.equal(r.truncated, false);
      assert.equal(r.reward, 1, "the terminating step is rewarded too");
      assert.ok(Math.abs(r.obs[2]) > THETA_THRESHOLD || Math.abs(r.obs[0]) > X_THRESHOLD);
      break;
    }
    assert.ok(Math.abs(r.obs[2]) <= THETA_THRESHOLD && Math.abs(r.obs[0]) <= X_THRESHOLD);
  }
  assert.ok(steps > 5 && steps < 30, `${steps} steps`);
});

test("a balancing controller runs to step 500 and gets truncated = true, terminated = false", () => {
  const env = new CartPole();
  let obs = env.reset({ seed: 2 }).obs;
  for (let t = 1; t <= MAX_EPISODE_STEPS; t++) {
    const r = env.step(balance(obs));
    obs = r.obs;
    assert.equal(r.terminated, false, `step ${t}`);
    assert.equal(r.truncated, t === MAX_EPISODE_STEPS, `step ${t}`);
  }
  assert.throws(() => env.step(0), /after the episode ended/);
});
