// The environment contract (Gymnasium's): reset({seed}) then step(action) until terminated or truncated.
import type { Box, Space } from "./spaces.ts";

/** What reset returns: the first observation of an episode. */
export interface ResetResult {
  /** Inside `observationSpace`; the env may reuse the buffer on the next call, so copy what you keep. */
  readonly obs: Float32Array;
  readonly info: Readonly<Record<string, unknown>>;
}

/** What step returns. */
export interface StepResult {
  /** Inside `observationSpace`; after a truncation, the value a learner bootstraps from. May be reused by the next call. */
  readonly obs: Float32Array;
  /** Finite. */
  readonly reward: number;
  /** The episode reached a terminal state of the task (the pole fell, the agent went bust): its value is 0. */
  readonly terminated: boolean;
  /** The episode was cut short from outside the task (a time limit): the state still has a value. */
  readonly truncated: boolean;
  readonly info: Readonly<Record<string, unknown>>;
}

/**
 * A reinforcement-learning environment. Episodes begin with `reset`; `step` is called until it
 * returns terminated or truncated, after which `step` throws until the next `reset`.
 *
 * Determinism: all randomness comes from a stream made by `Rng.root(seed)` at `reset({ seed })`.
 * `reset()` without a seed continues the stream of the last seeded reset (as Gymnasium does), so a
 * seeded first reset then a sequence of unseeded ones is reproducible.
 */
export interface Env<A extends number | Float32Array = number> {
  readonly observationSpace: Box;
  readonly actionSpace: Space;
  /** The time limit, when the env has one: step number `maxEpisodeSteps` returns truncated = true. */
  readonly maxEpisodeSteps?: number;
  /**
   * Starts an episode.
   * @throws Error if the first reset of the env has no seed (an unseeded env would not be reproducible).
   */
  reset(options?: { readonly seed?: number }): ResetResult;
  /**
   * Advances one step.
   * @throws RangeError if `action` is outside `actionSpace`.
   * @throws Error if called before `reset` or after the episode ended.
   */
  step(action: A): StepResult;
  /**
   * Optional: the env's whole state as JSON-safe data, for `restore` on a fresh env of the same kind
   * to continue exactly (an observation buffer is not state). A learner resumes such envs exactly
   * and re-seeds the others.
   */
  snapshot?(): unknown;
  /** @throws Error naming the env if `s` is not one of its snapshots. */
  restore?(s: unknown): void;
}

/** Makes a fresh, independent env; the checker and vectorised rollouts call it once per copy. */
export type EnvFactory<A extends number | Float32Array = number> = () => Env<A>;
