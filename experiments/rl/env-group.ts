// A rollout worker's share of the envs: steps them under the policy it is sent, the observation statistics frozen for the iteration.
import { Rng } from "../../sim/rng.ts";
import type { Env } from "./env.ts";
import { resolveEnvSpec, type EnvSpec } from "./env-spec.ts";
import { MlpForward, type MlpParams } from "./mlp.ts";
import { ObsNormalizer } from "./normalize.ts";
import { sampleCategorical } from "./policy.ts";
import { envsState, restoreEnvs, type RolloutsState } from "./rollout.ts";

/** What a worker needs to build its envs. Plain data, so it crosses the thread boundary. */
export interface GroupInit {
  readonly spec: EnvSpec;
  /** The run's global indices of this group's envs. */
  readonly envIds: readonly number[];
  /** Env e first resets with seed envSeed + e. */
  readonly envSeed: number;
  /** Env e samples its actions from the stream `${streamPath}/actions/${e}`. */
  readonly streamPath: string;
  /** Where this group's envs and streams were saved: continue from there instead of resetting. */
  readonly restore?: RolloutsState;
}

/** One iteration's request: the networks and the statistics that normalise what they see. */
export interface GroupRollout {
  readonly steps: number;
  readonly actor: MlpParams;
  readonly critic: MlpParams;
  /** undefined: the networks see raw observations. */
  readonly norm?: { readonly mean: Float64Array; readonly variance: Float64Array };
}

/** One iteration of a group, row i = step t · n + local env j. */
export interface GroupChunk {
  /** Raw observations, (steps + 1) × n × obsDim: the one before each step, then the one after the last. */
  readonly raw: Float32Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  /** 1 where the step ended its episode (terminated or truncated). */
  readonly ended: Uint8Array;
  /** V(final observation) of a truncated step, to bootstrap from; 0 elsewhere. */
  readonly bootValues: Float32Array;
  /** V of each env's observation after the last step. */
  readonly nextValues: Float32Array;
  /** Per env: returns summed over, and count of, the episodes that ended in this chunk. */
  readonly episodeSums: Float64Array;
  readonly episodeCounts: Int32Array;
}

/** Every typed array of a chunk, for a transfer list. */
export function chunkBuffers(c: GroupChunk): ArrayBuffer[] {
  return [c.raw, c.actions, c.logProbs, c.values, c.rewards, c.ended, c.bootValues, c.nextValues, c.episodeSums, c.episodeCounts].map((a) => a.buffer as ArrayBuffer);
}

export class EnvGroup {
  private actor: MlpForward | undefined;
  private critic: MlpForward | undefined;
  private readonly raw: Float32Array;
  private readonly scratch: Float32Array;
  private readonly episodeReturn: Float64Array;

  private constructor(
    private readonly envs: readonly Env<number>[],
    private readonly samplers: readonly Rng[],
    readonly obsDim: number,
    readonly initialObs: Float32Array,
  ) {
    this.raw = Float32Array.from(initialObs);
    this.scratch = new Float32Array(obsDim);
    this.episodeReturn = new Float64Array(envs.length);
  }

  /** Builds and seeds the envs; `initialObs` holds their first observations, n × obsDim. */
  static async create(init: GroupInit): Promise<EnvGroup> {
    const { make } = await resolveEnvSpec(init.spec);
    const envs = init.envIds.map(() => make());
    const obsDim = envs[0].observationSpace.shape[0];
    const first = new Float32Array(envs.length * obsDim);
    if (init.restore === undefined) {
      envs.forEach((env, j) => first.set(env.reset({ seed: init.envSeed + init.envIds[j] }).obs, j * obsDim));
      const samplers = init.envIds.map((e) => Rng.root(`${init.streamPath}/actions/${e}`));
      return new EnvGroup(envs, samplers, obsDim, first);
    }
    const running = new Float64Array(envs.length);
    restoreEnvs(envs, init.restore, first, running);
    if (init.restore.samplers.length !== envs.length) throw new Error(`ppo resume: the saved rollouts have ${init.restore.samplers.length} action streams for ${envs.length} envs`);
    const group = new EnvGroup(envs, init.restore.samplers.map((r) => Rng.restore(r)), obsDim, first);
    group.episodeReturn.set(running);
    return group;
  }

  /** Where the envs and streams are now; undefined when an env cannot be snapshotted. */
  save(): RolloutsState | undefined {
    return envsState(this.envs, this.raw, this.episodeReturn, this.samplers);
  }

  /** Steps every env `r.steps` times under `r`'s networks. */
  rollout(r: GroupRollout): GroupChunk {
    const n = this.envs.length;
    const d = this.obsDim;
    const rows = r.steps * n;
    const c: GroupChunk = {
      raw: new Float32Array((r.steps + 1) * n * d),
      actions: new Int32Array(rows),
      logProbs: new Float32Array(rows),
      values: new Float32Array(rows),
      rewards: new Float32Array(rows),
      ended: new Uint8Array(rows),
      bootValues: new Float32Array(rows),
      nextValues: new Float32Array(n),
      episodeSums: new Float64Array(n),
      episodeCounts: new Int32Array(n),
    };
    // Built on the first request; the networks keep their sizes for the whole run.
    const actor = (this.actor ??= new MlpForward(r.actor));
    const critic = (this.critic ??= new MlpForward(r.critic));
    actor.load(r.actor);
    critic.load(r.critic);
    const norm = r.norm === undefined ? undefined : new ObsNormalizer(r.norm.mean, r.norm.variance);
    const see = (x: Float32Array): Float32Array => (norm === undefined ? x : norm.apply(x, this.scratch));
    for (let t = 0; t < r.steps; t++) {
      for (let j = 0; j < n; j++) {
        const i = t * n + j;
        const cur = this.raw.subarray(j * d, (j + 1) * d);
        c.raw.set(cur, i * d);
        const o = see(cur);
        const { action, logProb } = sampleCategorical(actor.run(o), this.samplers[j]);
        c.actions[i] = action;
        c.logProbs[i] = logProb;
        c.values[i] = critic.run(o)[0];
        const s = this.envs[j].step(action);
        c.rewards[i] = s.reward;
        this.episodeReturn[j] += s.reward;
        // The env may reuse its buffer on reset: value the final observation first.
        if (s.truncated && !s.terminated) c.bootValues[i] = critic.run(see(s.obs))[0];
        if (s.terminated || s.truncated) {
          c.ended[i] = 1;
          c.episodeSums[j] += this.episodeReturn[j];
          c.episodeCounts[j]++;
          this.episodeReturn[j] = 0;
          cur.set(this.envs[j].reset().obs);
        } else {
          cur.set(s.obs);
        }
      }
    }
    c.raw.set(this.raw, rows * d);
    for (let j = 0; j < n; j++) c.nextValues[j] = critic.run(see(this.raw.subarray(j * d, (j + 1) * d)))[0];
    return c;
  }
}
