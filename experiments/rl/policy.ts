// A trained categorical policy as plain JS (normaliser + actor weights), and its greedy evaluation on an env.
import type { Rng } from "../../sim/rng.ts";
import type { EnvFactory } from "./env.ts";
import { MlpForward, type MlpParams } from "./mlp.ts";
import type { ObsNormalizer } from "./normalize.ts";

/** The policy a PPO run produces: no tfjs needed to act. */
export class Policy {
  private readonly forward: MlpForward;
  private readonly scratch: Float32Array;

  constructor(
    readonly actor: MlpParams,
    readonly normalizer: ObsNormalizer | undefined,
  ) {
    this.forward = new MlpForward(actor);
    this.scratch = new Float32Array(actor.sizes[0]);
  }

  /** The action logits for a raw observation; the buffer is reused by the next call. */
  logits(obs: Float32Array): Float32Array {
    return this.forward.run(this.normalizer === undefined ? obs : this.normalizer.apply(obs, this.scratch));
  }

  /** The most probable action (ties to the lowest index). */
  act(obs: Float32Array): number {
    const l = this.logits(obs);
    let best = 0;
    for (let i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
    return best;
  }
}

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
