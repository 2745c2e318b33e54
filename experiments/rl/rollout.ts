// Rollout collection for PPO: the batch layout, and the one-thread collector (every env in the training thread).
import { Rng, type RngState } from "../../sim/rng.ts";
import type { Env } from "./env.ts";
import { MlpForward, type MlpParams } from "./mlp.ts";
import type { ObsNormalizer, RunningMeanStd } from "./normalize.ts";
import { sampleCategorical } from "./policy.ts";

/** One iteration's experience; row i = step t · numEnvs + env e. */
export class RolloutBatch {
  /** Observations as the networks saw them (normalised when the run normalises). */
  readonly obs: Float32Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  /** With γ·V(final observation) added on a truncated step. */
  readonly rewards: Float32Array;
  /** 1 where the step ended its episode. */
  readonly ended: Uint8Array;
  readonly values: Float32Array;
  /** V of each env's observation after the last step, for GAE. */
  readonly nextValues: Float32Array;
  /** Returns summed over, and count of, the episodes that ended in this rollout. */
  finishedSum = 0;
  finishedCount = 0;

  constructor(
    readonly numEnvs: number,
    readonly numSteps: number,
    readonly obsDim: number,
  ) {
    const n = numEnvs * numSteps;
    this.obs = new Float32Array(n * obsDim);
    this.actions = new Int32Array(n);
    this.logProbs = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.ended = new Uint8Array(n);
    this.values = new Float32Array(n);
    this.nextValues = new Float32Array(numEnvs);
  }
}

/**
 * A collector between iterations, JSON-safe: per env its snapshot, the raw observation it is at and
 * the return of its running episode; the action streams (one for one thread, one per env on threads).
 */
export interface RolloutsState {
  readonly envs: readonly unknown[];
  readonly obs: readonly (readonly number[])[];
  readonly episodeReturn: readonly number[];
  readonly samplers: readonly RngState[];
}

/** The state of `envs` at their current observations `raw` (n × obsDim), or undefined if one cannot be snapshotted. */
export function envsState(envs: readonly Env<number>[], raw: Float32Array, episodeReturn: Float64Array, samplers: readonly Rng[]): RolloutsState | undefined {
  if (!envs.every((e) => typeof e.snapshot === "function")) return undefined;
  const d = raw.length / envs.length;
  return {
    envs: envs.map((e) => e.snapshot!()),
    obs: envs.map((_, j) => Array.from(raw.subarray(j * d, (j + 1) * d))),
    episodeReturn: Array.from(episodeReturn),
    samplers: samplers.map((r) => r.state()),
  };
}

/**
 * Puts `envs` back where `s` found them; `raw` and `episodeReturn` receive their observations and running returns.
 * @throws Error naming the mismatch if `s` holds another number of envs or observations of another size.
 */
export function restoreEnvs(envs: readonly Env<number>[], s: RolloutsState, raw: Float32Array, episodeReturn: Float64Array): void {
  const d = raw.length / envs.length;
  if (s.envs.length !== envs.length || s.obs.length !== envs.length || s.episodeReturn.length !== envs.length) {
    throw new Error(`ppo resume: the saved rollouts hold ${s.envs.length} envs, this run steps ${envs.length}`);
  }
  envs.forEach((env, j) => {
    if (env.restore === undefined) throw new Error("ppo resume: the saved rollouts hold env snapshots but this env cannot restore one");
    if (s.obs[j].length !== d) throw new Error(`ppo resume: a saved observation has ${s.obs[j].length} values, the env observes ${d}`);
    env.restore(s.envs[j]);
    raw.set(s.obs[j], j * d);
    episodeReturn[j] = s.episodeReturn[j];
  });
}

/** Steps a run's envs; the envs, their streams and the observation statistics live on between iterations. */
export interface Rollouts {
  /** Fills `batch` with numSteps steps of every env under these networks, updating the statistics. */
  collect(actor: MlpParams, critic: MlpParams, batch: RolloutBatch): Promise<void>;
  /** What the networks see now (undefined: raw observations). */
  normalizer(): ObsNormalizer | undefined;
  /** Where the envs and streams are, for an exact resume; undefined when an env cannot be snapshotted. */
  save(): Promise<RolloutsState | undefined>;
  /** Stops any threads. */
  close(): Promise<void>;
}

/** Settings of a collector. */
export interface RolloutConfig {
  readonly numEnvs: number;
  readonly numSteps: number;
  readonly gamma: number;
  readonly normObs: boolean;
}

/**
 * Every env in this thread, one action stream for all, and the observation statistics updated
 * after every step (Stable-Baselines3's VecNormalize): the `workers: 1` path.
 */
export class LocalRollouts implements Rollouts {
  private readonly obsDim: number;
  private readonly raw: Float32Array;
  private readonly seen: Float32Array;
  private readonly finals: Float32Array;
  private readonly truncatedNow: Uint8Array;
  private readonly episodeReturn: Float64Array;
  private norm: ObsNormalizer | undefined;
  private actorJs: MlpForward | undefined;
  private criticJs: MlpForward | undefined;

  private readonly sampler: Rng;

  /**
   * Resets env e with seed envSeed + e, actions from `sampler`, and merges the first observations
   * into `rms`; or, given `restore`, continues from there (the statistics as they are).
   */
  constructor(
    private readonly envs: readonly Env<number>[],
    private readonly cfg: RolloutConfig,
    private readonly rms: RunningMeanStd,
    sampler: Rng,
    envSeed: number,
    restore?: RolloutsState,
  ) {
    this.obsDim = envs[0].observationSpace.shape[0];
    const size = cfg.numEnvs * this.obsDim;
    this.raw = new Float32Array(size);
    this.seen = new Float32Array(size);
    this.finals = new Float32Array(size);
    this.truncatedNow = new Uint8Array(cfg.numEnvs);
    this.episodeReturn = new Float64Array(cfg.numEnvs);
    if (restore === undefined) {
      this.sampler = sampler;
      envs.forEach((env, e) => this.raw.set(env.reset({ seed: envSeed + e }).obs, e * this.obsDim));
      this.norm = this.observe();
      return;
    }
    if (restore.samplers.length !== 1) throw new Error(`ppo resume: the saved rollouts have ${restore.samplers.length} action streams, one thread uses 1`);
    this.sampler = Rng.restore(restore.samplers[0]);
    restoreEnvs(envs, restore, this.raw, this.episodeReturn);
    // What observe() left after the last step: the statistics as saved, applied to the saved observations.
    this.norm = cfg.normObs ? rms.snapshot() : undefined;
    const d = this.obsDim;
    for (let e = 0; e < cfg.numEnvs; e++) {
      const from = this.raw.subarray(e * d, (e + 1) * d);
      const to = this.seen.subarray(e * d, (e + 1) * d);
      if (this.norm === undefined) to.set(from);
      else this.norm.apply(from, to);
    }
  }

  async save(): Promise<RolloutsState | undefined> {
    return envsState(this.envs, this.raw, this.episodeReturn, [this.sampler]);
  }

  normalizer(): ObsNormalizer | undefined {
    return this.norm;
  }

  async close(): Promise<void> {}

  /** Merges the current raw observations into the statistics and normalises them into `seen`. */
  private observe(): ObsNormalizer | undefined {
    const { numEnvs, normObs } = this.cfg;
    const d = this.obsDim;
    if (!normObs) {
      this.seen.set(this.raw);
      return undefined;
    }
    this.rms.update(this.raw, numEnvs);
    const norm = this.rms.snapshot();
    for (let e = 0; e < numEnvs; e++) norm.apply(this.raw.subarray(e * d, (e + 1) * d), this.seen.subarray(e * d, (e + 1) * d));
    return norm;
  }

  async collect(actor: MlpParams, critic: MlpParams, b: RolloutBatch): Promise<void> {
    const { numEnvs, numSteps, gamma } = this.cfg;
    const d = this.obsDim;
    const actorJs = (this.actorJs ??= new MlpForward(actor));
    const criticJs = (this.criticJs ??= new MlpForward(critic));
    actorJs.load(actor);
    criticJs.load(critic);
    b.finishedSum = 0;
    b.finishedCount = 0;
    for (let t = 0; t < numSteps; t++) {
      for (let e = 0; e < numEnvs; e++) {
        const i = t * numEnvs + e;
        const o = this.seen.subarray(e * d, (e + 1) * d);
        b.obs.set(o, i * d);
        const { action, logProb } = sampleCategorical(actorJs.run(o), this.sampler);
        b.actions[i] = action;
        b.logProbs[i] = logProb;
        b.values[i] = criticJs.run(o)[0];
        const r = this.envs[e].step(action);
        b.rewards[i] = r.reward;
        this.episodeReturn[e] += r.reward;
        const done = r.terminated || r.truncated;
        b.ended[i] = done ? 1 : 0;
        this.truncatedNow[e] = r.truncated && !r.terminated ? 1 : 0;
        if (this.truncatedNow[e]) this.finals.set(r.obs, e * d);
        if (done) {
          b.finishedSum += this.episodeReturn[e];
          b.finishedCount++;
          this.episodeReturn[e] = 0;
          this.raw.set(this.envs[e].reset().obs, e * d);
        } else {
          this.raw.set(r.obs, e * d);
        }
      }
      this.norm = this.observe();
      // A time limit is not the task's end: the state after it still has a value, so bootstrap from it.
      for (let e = 0; e < numEnvs; e++) {
        if (!this.truncatedNow[e]) continue;
        const f = this.finals.subarray(e * d, (e + 1) * d);
        const v = criticJs.run(this.norm === undefined ? f : this.norm.apply(f, new Float32Array(d)))[0];
        b.rewards[t * numEnvs + e] += gamma * v;
      }
    }
    for (let e = 0; e < numEnvs; e++) b.nextValues[e] = criticJs.run(this.seen.subarray(e * d, (e + 1) * d))[0];
  }
}
