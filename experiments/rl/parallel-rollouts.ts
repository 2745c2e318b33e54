// Rollouts on worker threads: each thread owns a slice of the envs; this thread sends the networks and gathers the batch.
import { Piscina } from "piscina";
import type { Rng } from "../../sim/rng.ts";
import { workerBundle } from "../../sim/worker-bundle.ts";
import type { GroupChunk, GroupRollout } from "./env-group.ts";
import type { EnvFactory } from "./env.ts";
import type { EnvSpec } from "./env-spec.ts";
import type { MlpParams } from "./mlp.ts";
import type { ObsNormalizer, RunningMeanStd } from "./normalize.ts";
import { LocalRollouts, type RolloutBatch, type RolloutConfig, type Rollouts, type RolloutsState } from "./rollout.ts";
import type { RolloutTask } from "./rollout-task.ts";

/**
 * A run's collector: every env in this thread (from `make`) when workers is 1, else `workers`
 * threads building theirs from `spec`. Env e first resets with seed envSeed + e; actions come from
 * `streams`' "actions" stream (one thread) or from "actions/e" (threads). Given `restore` (saved
 * by the same kind of collector), the envs and streams continue from there instead.
 * @throws RangeError if workers is above 1 without a spec, or is not an integer from 1 to numEnvs.
 */
export async function openRollouts(
  spec: EnvSpec | undefined, make: EnvFactory<number>, cfg: RolloutConfig, rms: RunningMeanStd, streams: Rng, envSeed: number, workers: number, restore?: RolloutsState,
): Promise<Rollouts> {
  if (workers === 1) return new LocalRollouts(Array.from({ length: cfg.numEnvs }, make), cfg, rms, streams.fork("actions"), envSeed, restore);
  if (spec === undefined) throw new RangeError(`ppo workers ${workers}: worker threads build their envs from an EnvSpec, not a factory`);
  return ParallelRollouts.start(spec, cfg, rms, streams.path, envSeed, workers, restore);
}

/** Env indices of worker w: a contiguous slice, sizes differing by at most one. */
export function envSlices(numEnvs: number, workers: number): number[][] {
  return Array.from({ length: workers }, (_, w) => {
    const lo = Math.floor((w * numEnvs) / workers);
    const hi = Math.floor(((w + 1) * numEnvs) / workers);
    return Array.from({ length: hi - lo }, (_, k) => lo + k);
  });
}

/**
 * The `workers ≥ 2` path. Each env samples from its own stream and the networks see observations
 * normalised by the statistics of the iteration's start; the statistics are merged afterwards here,
 * step by step in env order. So the batch is the same whatever the thread count and timing.
 */
export class ParallelRollouts implements Rollouts {
  private norm: ObsNormalizer | undefined;

  private constructor(
    /** One pool of one thread per worker, so a worker's envs stay in its thread between iterations. */
    private readonly pools: readonly Piscina<RolloutTask, unknown>[],
    private readonly slices: readonly (readonly number[])[],
    private readonly obsDim: number,
    private readonly cfg: RolloutConfig,
    private readonly rms: RunningMeanStd,
  ) {}

  /**
   * Starts `workers` threads, each building its slice of the envs from `spec` (env e resets with
   * seed envSeed + e and samples from the stream `${streamPath}/actions/${e}`), and merges the first
   * observations into `rms`; or, given `restore`, continues from it (the statistics as they are).
   * @throws RangeError if workers is not an integer from 2 to numEnvs; the first worker's error if an env cannot be built.
   */
  static async start(spec: EnvSpec, cfg: RolloutConfig, rms: RunningMeanStd, streamPath: string, envSeed: number, workers: number, restore?: RolloutsState): Promise<ParallelRollouts> {
    if (!Number.isSafeInteger(workers) || workers < 2 || workers > cfg.numEnvs) {
      throw new RangeError(`ppo workers ${workers} must be an integer from 2 to the ${cfg.numEnvs} envs (each worker steps at least one)`);
    }
    const bundle = await workerBundle(new URL("./rollout-task.ts", import.meta.url));
    const filename = (bundle ?? new URL("./rollout-worker.mjs", import.meta.url)).href;
    const pools = Array.from({ length: workers }, () => new Piscina<RolloutTask, unknown>({ filename, minThreads: 1, maxThreads: 1, concurrentTasksPerWorker: 1, idleTimeout: 2 ** 31 - 1 }));
    const slices = envSlices(cfg.numEnvs, workers);
    try {
      if (restore !== undefined && restore.envs.length !== cfg.numEnvs) throw new Error(`ppo resume: the saved rollouts hold ${restore.envs.length} envs, this run steps ${cfg.numEnvs}`);
      const part = (ids: readonly number[]): RolloutsState | undefined =>
        restore === undefined ? undefined : {
          envs: ids.map((e) => restore.envs[e]), obs: ids.map((e) => restore.obs[e]),
          episodeReturn: ids.map((e) => restore.episodeReturn[e]), samplers: ids.map((e) => restore.samplers[e]),
        };
      const first = (await Promise.all(pools.map((p, w) => p.run({ op: "init", init: { spec, envIds: slices[w], envSeed, streamPath, restore: part(slices[w]) } })))) as Float32Array[];
      const obsDim = first[0].length / slices[0].length;
      const self = new ParallelRollouts(pools, slices, obsDim, cfg, rms);
      if (restore !== undefined) {
        self.norm = cfg.normObs ? rms.snapshot() : undefined;
      } else if (cfg.normObs) {
        const rows = new Float32Array(cfg.numEnvs * obsDim);
        first.forEach((f, w) => rows.set(f, slices[w][0] * obsDim));
        rms.update(rows, cfg.numEnvs);
        self.norm = rms.snapshot();
      }
      return self;
    } catch (err) {
      await Promise.all(pools.map((p) => p.destroy()));
      throw err;
    }
  }

  normalizer(): ObsNormalizer | undefined {
    return this.norm;
  }

  async save(): Promise<RolloutsState | undefined> {
    const parts = (await Promise.all(this.pools.map((p) => p.run({ op: "save" })))) as (RolloutsState | undefined)[];
    if (parts.some((p) => p === undefined)) return undefined;
    const all = parts as RolloutsState[];
    return {
      envs: all.flatMap((p) => p.envs), obs: all.flatMap((p) => p.obs),
      episodeReturn: all.flatMap((p) => p.episodeReturn), samplers: all.flatMap((p) => p.samplers),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.destroy()));
  }

  async collect(actor: MlpParams, critic: MlpParams, b: RolloutBatch): Promise<void> {
    const { numEnvs: N, numSteps: T, gamma, normObs } = this.cfg;
    const d = this.obsDim;
    const norm = this.norm;
    const rollout: GroupRollout = { steps: T, actor, critic, norm: norm === undefined ? undefined : { mean: norm.mean, variance: norm.variance } };
    const chunks = (await Promise.all(this.pools.map((p) => p.run({ op: "rollout", rollout })))) as GroupChunk[];
    b.finishedSum = 0;
    b.finishedCount = 0;
    for (let e = 0, w = 0; w < chunks.length; w++) {
      const c = chunks[w];
      const n = this.slices[w].length;
      for (let j = 0; j < n; j++, e++) {
        for (let t = 0; t < T; t++) {
          const i = t * N + e;
          const li = t * n + j;
          const raw = c.raw.subarray(li * d, (li + 1) * d);
          if (norm === undefined) b.obs.set(raw, i * d);
          else norm.apply(raw, b.obs.subarray(i * d, (i + 1) * d));
          b.actions[i] = c.actions[li];
          b.logProbs[i] = c.logProbs[li];
          b.values[i] = c.values[li];
          b.ended[i] = c.ended[li];
          b.rewards[i] = c.rewards[li] + gamma * c.bootValues[li];
        }
        b.nextValues[e] = c.nextValues[j];
        b.finishedSum += c.episodeSums[j];
        b.finishedCount += c.episodeCounts[j];
      }
    }
    if (!normObs) return;
    // The observations after each step, all envs in order, as the one-thread path merges them.
    const rows = new Float32Array(N * d);
    for (let t = 1; t <= T; t++) {
      for (let e = 0, w = 0; w < chunks.length; w++) {
        const n = this.slices[w].length;
        for (let j = 0; j < n; j++, e++) rows.set(chunks[w].raw.subarray((t * n + j) * d, (t * n + j + 1) * d), e * d);
      }
      this.rms.update(rows, N);
    }
    this.norm = this.rms.snapshot();
  }
}
