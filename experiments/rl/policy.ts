// Sampling from a trained categorical policy (agents/policy/policy.ts), and its greedy evaluation on an env.
import type { Rng } from "../../sim/rng.ts";
import { Policy } from "../../agents/policy/policy.ts";
import type { EnvFactory } from "./env.ts";

export { Policy };

/**
 * Draws from softmax(logits) with one uniform from `rng`; returns the action and its log-probability.
 */
export function sampleCategorical(logits: Float32Array, rng: Rng): { action: number; logProb: number } {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  const logSum = max + Math.log(sum);
  const u = rng.next() * sum;
  let acc = 0;
  let action = logits.length - 1;
  for (let i = 0; i < logits.length; i++) {
    acc += Math.exp(logits[i] - max);
    if (u < acc) {
      action = i;
      break;
    }
  }
  return { action, logProb: logits[action] - logSum };
}

/**
 * Returns of `episodes` greedy episodes on fresh envs (episode i reset with seed + i), the
 * deterministic evaluation rl-baselines3-zoo reports.
 */
export function evaluate(policy: Policy, make: EnvFactory<number>, episodes: number, seed: number): number[] {
  const returns: number[] = [];
  for (let i = 0; i < episodes; i++) {
    const env = make();
    let obs = env.reset({ seed: seed + i }).obs;
    let total = 0;
    for (;;) {
      const r = env.step(policy.act(obs));
      total += r.reward;
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
    returns.push(total);
  }
  return returns;
}
