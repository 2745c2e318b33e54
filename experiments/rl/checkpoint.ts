// checkpoint.json: a PPO run's state after an iteration (args, weights, Adam, normaliser, curve), to resume from.
import { z } from "zod";
import type { PpoArgs, PpoState, IterationStats } from "./ppo.ts";
import { RngStateJson } from "./rng-json.ts";
import { writeAtomic } from "../../sim/atomic-write.ts";
import { issues, mlpFromJson, MlpJson, mlpToJson, PolicyFileError, readJsonFile } from "./policy-file.ts";

export const CHECKPOINT_FORMAT = "btc-arena/ppo-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** A run's checkpoint: what to train (env, args) and where it got to. */
export interface Checkpoint {
  readonly env: string;
  /** The market memory folder the envs read (arena train ppo --memory) and its digest; absent without one. */
  readonly memory?: { readonly dir: string; readonly digest: string };
  readonly args: PpoArgs;
  readonly state: PpoState;
}

// NaN (an iteration where no episode ended) is not JSON: curve numbers may be null.
const Num = z.number().nullable().transform((x) => x ?? NaN);

const Stats = z.object({
  iteration: z.number().int().positive(), globalStep: z.number().int().nonnegative(), learningRate: Num, episodeReturn: Num,
  policyLoss: Num, valueLoss: Num, entropy: Num, clipFraction: Num, rolloutMs: Num, updateMs: Num,
});

const Args = z.object({
  seed: z.number().int().nonnegative(), totalTimesteps: z.number().int().positive(), numEnvs: z.number().int().positive(),
  numSteps: z.number().int().positive(), learningRate: z.number().positive(), annealLr: z.boolean(), gamma: z.number(),
  gaeLambda: z.number(), numMinibatches: z.number().int().positive(), updateEpochs: z.number().int().positive(),
  normAdv: z.boolean(), clipCoef: z.number(), annealClip: z.boolean(), clipVloss: z.boolean(), entCoef: z.number(),
  vfCoef: z.number(), maxGradNorm: z.number(), hidden: z.array(z.number().int().positive()), normObs: z.boolean(),
  backend: z.enum(["auto", "tensorflow", "wasm"]),
  // Checkpoints from before parallel rollouts ran on one thread.
  workers: z.number().int().positive().default(1),
});

const CheckpointJson = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  env: z.string().min(1),
  memory: z.object({ dir: z.string().min(1), digest: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  args: Args,
  state: z.object({
    iteration: z.number().int().nonnegative(),
    globalStep: z.number().int().nonnegative(),
    actor: MlpJson,
    critic: MlpJson,
    optimizer: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), data: z.array(z.number()) })),
    rms: z.object({ mean: z.array(z.number()), var: z.array(z.number().nonnegative()), count: z.number().positive() }),
    curve: z.array(Stats),
    // Absent in checkpoints of envs that cannot be snapshotted (and of older versions): those resume re-seeded.
    exact: z.object({
      shuffler: RngStateJson,
      rollouts: z.object({
        envs: z.array(z.unknown()), obs: z.array(z.array(z.number())), episodeReturn: z.array(z.number()), samplers: z.array(RngStateJson),
      }),
      adamBetaPowers: z.tuple([z.number(), z.number()]),
    }).optional(),
  }),
}).superRefine((c, ctx) => {
  if (c.state.curve.length !== c.state.iteration) ctx.addIssue({ code: "custom", path: ["state", "curve"], message: `has ${c.state.curve.length} lines for ${c.state.iteration} iterations` });
  const ex = c.state.exact?.rollouts;
  if (ex !== undefined) {
    const n = c.args.numEnvs;
    const streams = c.args.workers === 1 ? 1 : n;
    if (ex.envs.length !== n || ex.obs.length !== n || ex.episodeReturn.length !== n) ctx.addIssue({ code: "custom", path: ["state", "exact", "rollouts"], message: `does not hold the ${n} envs of args.numEnvs` });
    if (ex.samplers.length !== streams) ctx.addIssue({ code: "custom", path: ["state", "exact", "rollouts", "samplers"], message: `has ${ex.samplers.length} streams; ${c.args.workers} workers use ${streams}` });
  }
  for (const [i, w] of c.state.optimizer.entries()) {
    if (w.data.length !== w.shape.reduce((a, b) => a * b, 1)) ctx.addIssue({ code: "custom", path: ["state", "optimizer", i], message: `has ${w.data.length} numbers for shape [${w.shape.join(", ")}]` });
  }
});

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Writes `c` to `path` through a temporary file and a rename: a crash leaves the previous checkpoint whole. */
export async function saveCheckpoint(path: string, c: Checkpoint): Promise<void> {
  const s = c.state;
  const json = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    env: c.env,
    ...(c.memory === undefined ? {} : { memory: { dir: c.memory.dir, digest: c.memory.digest } }),
    args: { ...c.args, hidden: [...c.args.hidden] },
    state: {
      iteration: s.iteration,
      globalStep: s.globalStep,
      actor: mlpToJson(s.actor),
      critic: mlpToJson(s.critic),
      optimizer: s.optimizer.map((w) => ({ name: w.name, shape: [...w.shape], data: Array.from(w.data) })),
      rms: { mean: Array.from(s.rms.mean), var: Array.from(s.rms.var), count: s.rms.count },
      curve: s.curve.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, finiteOrNull(v as number)]))),
      exact: s.exact,
    },
  };
  await writeAtomic(path, JSON.stringify(json) + "\n");
}

/**
 * Reads a checkpoint.
 * @throws PolicyFileError naming the file if it cannot be read, is not JSON, or is not a checkpoint of this version.
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const raw = await readJsonFile(path, "checkpoint");
  const r = CheckpointJson.safeParse(raw);
  if (!r.success) throw new PolicyFileError(`checkpoint ${path} is corrupt or not a checkpoint of version ${CHECKPOINT_VERSION}: ${issues(r.error)}`);
  const c = r.data;
  return {
    env: c.env,
    ...(c.memory === undefined ? {} : { memory: c.memory }),
    args: c.args,
    state: {
      iteration: c.state.iteration,
      globalStep: c.state.globalStep,
      actor: mlpFromJson(c.state.actor),
      critic: mlpFromJson(c.state.critic),
      optimizer: c.state.optimizer.map((w) => ({ name: w.name, shape: w.shape, data: Float32Array.from(w.data) })),
      rms: { mean: Float64Array.from(c.state.rms.mean), var: Float64Array.from(c.state.rms.var), count: c.state.rms.count },
      curve: c.state.curve as IterationStats[],
      exact: c.state.exact,
    },
  };
}
