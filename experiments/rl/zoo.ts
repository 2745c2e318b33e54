// rl-baselines3-zoo's tuned PPO hyperparameters (hyperparams/ppo.yml), for the envs we share with it.
import { PPO_DEFAULTS, type PpoArgs } from "./ppo-args.ts";

/**
 * CartPole-v1: 8 envs × 32 steps, one minibatch of 256, 20 epochs, γ 0.98, λ 0.8, no entropy
 * bonus, lr 1e-3 and clip 0.2 both annealed linearly, 100k steps. The zoo reports 500 ± 0 with it.
 */
export const CARTPOLE_ZOO: PpoArgs = Object.freeze({
  ...PPO_DEFAULTS,
  totalTimesteps: 100_000,
  numEnvs: 8,
  numSteps: 32,
  numMinibatches: 1,
  updateEpochs: 20,
  gamma: 0.98,
  gaeLambda: 0.8,
  entCoef: 0,
  learningRate: 1e-3,
  annealLr: true,
  clipCoef: 0.2,
  annealClip: true,
  clipVloss: false,
});
