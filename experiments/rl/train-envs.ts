// The environments `arena train ppo` and `arena eval --policy` know, each with the PPO arguments it trains with.
import type { Env } from "./env.ts";
import { DiscreteAvellanedaStoikovEnv } from "./envs/avellaneda-stoikov.ts";
import { CartPole } from "./envs/cartpole.ts";
import { PPO_DEFAULTS, type PpoArgs } from "./ppo-args.ts";
import { CARTPOLE_ZOO } from "./zoo.ts";

export interface TrainEnv {
  readonly make: () => Env<number>;
  /** Arguments of a run; the CLI sets seed and totalTimesteps. */
  readonly ppo: PpoArgs;
}

/**
 * Avellaneda–Stoikov, discrete quotes: one episode (200 steps) per env per rollout, 10 epochs,
 * a small entropy bonus so the 121 actions are explored before the policy settles.
 */
export const AS_PPO: PpoArgs = Object.freeze({
  ...PPO_DEFAULTS,
  numEnvs: 8,
  numSteps: 200,
  numMinibatches: 4,
  updateEpochs: 10,
  learningRate: 3e-4,
  gamma: 0.99,
  gaeLambda: 0.95,
  entCoef: 0.001,
});

export const TRAIN_ENVS: Readonly<Record<string, TrainEnv>> = Object.freeze({
  cartpole: { make: () => new CartPole(), ppo: CARTPOLE_ZOO },
  "avellaneda-stoikov": { make: () => new DiscreteAvellanedaStoikovEnv(), ppo: AS_PPO },
});

export const TRAIN_ENV_NAMES: readonly string[] = Object.keys(TRAIN_ENVS);
