// PPO's argument block and its defaults, apart from the learner so worker threads import them without tfjs.
import type { BackendName } from "./tf-backend.ts";

/** Everything a run depends on; with the backend and the worker count, the seed fixes the result. */
export interface PpoArgs {
  /** Seeds weight init, action sampling, minibatch order and the envs (env i resets with seed·1000 + i). */
  readonly seed: number;
  /** Environment steps in all, summed over the envs. */
  readonly totalTimesteps: number;
  /** Envs stepped side by side in one thread. */
  readonly numEnvs: number;
  /** Steps per env per rollout; batch = numEnvs × numSteps. */
  readonly numSteps: number;
  /** Adam's step size at the start. */
  readonly learningRate: number;
  /** Anneal the learning rate linearly to 0 over the run. */
  readonly annealLr: boolean;
  /** Discount. */
  readonly gamma: number;
  /** GAE's λ. */
  readonly gaeLambda: number;
  /** Minibatches per epoch. */
  readonly numMinibatches: number;
  /** Passes over each batch. */
  readonly updateEpochs: number;
  /** Normalise advantages per minibatch. */
  readonly normAdv: boolean;
  /** The ratio is clipped to [1 − clipCoef, 1 + clipCoef]. */
  readonly clipCoef: number;
  /** Anneal clipCoef linearly to 0 as well (rl-baselines3-zoo's `lin_0.2`). */
  readonly annealClip: boolean;
  /** Clip the value loss around the rollout's values, by clipCoef. */
  readonly clipVloss: boolean;
  /** Weight of the entropy bonus. */
  readonly entCoef: number;
  /** Weight of the value loss. */
  readonly vfCoef: number;
  /** Gradients are scaled down so their global norm is at most this. */
  readonly maxGradNorm: number;
  /** Hidden layer widths of both the actor and the critic (tanh). */
  readonly hidden: readonly number[];
  /** Normalise observations by a running mean and variance (clipped to ±10). */
  readonly normObs: boolean;
  /** "auto": tfjs-node when installed, else wasm. */
  readonly backend: BackendName | "auto";
  /**
   * Rollout threads. 1 steps every env in the training thread, the observation statistics moving
   * at every step. 2 or more split the envs across worker threads, each env with its own action
   * stream, and freeze the statistics for an iteration (updated after it, in env order): runs with
   * any count from 2 up give the same result, which differs from 1's.
   */
  readonly workers: number;
}

/** CleanRL's ppo.py defaults (with observation normalisation on). */
export const PPO_DEFAULTS: PpoArgs = Object.freeze({
  seed: 1,
  totalTimesteps: 500_000,
  numEnvs: 4,
  numSteps: 128,
  learningRate: 2.5e-4,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  annealClip: false,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  hidden: [64, 64],
  normObs: true,
  backend: "auto",
  workers: 1,
});

