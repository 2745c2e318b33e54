// `arena train ppo`: PPO on a built-in environment, a checkpoint committed to --out every iteration, resumable with --resume.
import { join, resolve } from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { z } from "zod";
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from "../experiments/rl/checkpoint.ts";
import { ObsNormalizer } from "../experiments/rl/normalize.ts";
import { Policy } from "../experiments/rl/policy.ts";
import { PolicyFileError, savePolicy } from "../experiments/rl/policy-file.ts";
import { writeAtomic } from "../sim/atomic-write.ts";
import { trainPpo, type IterationStats, type PpoArgs, type PpoState } from "../experiments/rl/ppo.ts";
import { MARKET_STATE_VERSION } from "../agents/features/market-state.ts";
import { envSpecName, resolveEnvSpec, type EnvSpec, type ScenarioTrainEnv } from "../experiments/rl/env-spec.ts";
import { MarketEnv } from "../experiments/rl/envs/market.ts";
import type { MarketPolicyInfo } from "../experiments/rl/policy-file.ts";
import { TRAIN_ENV_NAMES, TRAIN_ENVS } from "../experiments/rl/train-envs.ts";
import { VectorStoreError } from "../agents/memory/vector-store.ts";
import { curveCsv, curveJson, trainReportHtml } from "../experiments/rl/train-report.ts";
import { parsePath, parseSeed, UsageError } from "./args.ts";
import { parseWorkers, workersHelp } from "./limits.ts";
import { FORCE_HELP, OUT_HELP, openOutput, recoverOutput } from "./output.ts";

/** Most environment steps one run may take: bounds its time (days at the slowest env) and its curve. */
export const MAX_STEPS = 1_000_000_000;

const Steps = z.string().trim().regex(/^\d{1,10}$/).transform(Number).pipe(z.number().int().min(1).max(MAX_STEPS));

function parseSteps(raw: string): number {
  const r = Steps.safeParse(raw);
  if (!r.success) throw new UsageError(`--steps: ${JSON.stringify(raw)} is not a positive integer up to ${MAX_STEPS}`);
  return r.data;
}

interface TrainOptions {
  readonly env?: string;
  readonly scenario?: string;
  readonly steps?: number;
  readonly workers?: number;
  readonly seed?: number;
  readonly out?: string;
  readonly force?: boolean;
  readonly resume?: string;
  readonly memory?: string;
}

/** The EnvSpec a checkpoint's env name stands for ("scenario:NAME" for a market scenario), with its memory folder if any. */
function specOfName(env: string, memory?: string): EnvSpec {
  return env.startsWith("scenario:") ? { kind: "scenario", scenario: env.slice("scenario:".length), ...(memory === undefined ? {} : { memory }) } : { kind: "env", name: env };
}

/** Resolves `spec`, turning a refusal (unknown scenario, bad file) into a usage error of `flag` (of `--memory` for a memory folder refused). */
async function resolveFor(flag: string, spec: EnvSpec): Promise<ScenarioTrainEnv> {
  try {
    return await resolveEnvSpec(spec);
  } catch (err) {
    if (err instanceof VectorStoreError) throw new UsageError(`--memory: ${err.message}; nothing was written`);
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

/** The run to do: from scratch (flags) or from a checkpoint (whose env, seed and steps the flags may only repeat). */
async function plan(o: TrainOptions): Promise<{ env: string; spec: EnvSpec; train: ScenarioTrainEnv; args: PpoArgs; resume?: Checkpoint; out: string }> {
  if (o.memory !== undefined && o.env !== undefined) throw new UsageError(`--memory: ${JSON.stringify(o.memory)} with --env ${JSON.stringify(o.env)}: the memory features belong to market scenarios; give --scenario`);
  if (o.scenario !== undefined && o.env !== undefined) throw new UsageError(`--scenario ${JSON.stringify(o.scenario)} and --env ${JSON.stringify(o.env)}: give one of them`);
  if (o.env !== undefined && !Object.hasOwn(TRAIN_ENVS, o.env)) {
    throw new UsageError(`--env: ${JSON.stringify(o.env)} is not an environment arena train knows (known: ${TRAIN_ENV_NAMES.join(", ")})`);
  }
  if (o.resume !== undefined) {
    let c: Checkpoint;
    try {
      // A run killed mid-swap leaves its checkpoint in the aside folder: put it back first.
      await recoverOutput(resolve(o.resume));
      c = await loadCheckpoint(join(o.resume, "checkpoint.json"));
    } catch (err) {
      if (err instanceof PolicyFileError) throw new UsageError(`--resume: ${err.message}; nothing was written`);
      throw err;
    }
    if (!c.env.startsWith("scenario:") && !Object.hasOwn(TRAIN_ENVS, c.env)) throw new UsageError(`--resume: checkpoint env ${JSON.stringify(c.env)} is not one arena train knows (known: ${TRAIN_ENV_NAMES.join(", ")})`);
    const clash = (flag: string, given: unknown, saved: unknown) => {
      if (given !== undefined && given !== saved) throw new UsageError(`${flag}: ${JSON.stringify(given)} differs from the checkpoint's ${JSON.stringify(saved)}; a resumed run keeps its env, seed, steps and workers (omit the flag)`);
    };
    clash("--env", o.env, c.env);
    clash("--scenario", o.scenario === undefined ? undefined : `scenario:${o.scenario}`, c.env);
    clash("--seed", o.seed, c.args.seed);
    clash("--steps", o.steps, c.args.totalTimesteps);
    clash("--workers", o.workers, c.args.workers);
    clash("--memory", o.memory, c.memory?.dir);
    const spec = specOfName(c.env, c.memory?.dir);
    const train = await resolveFor("--resume", spec);
    if (c.memory !== undefined && train.memory?.digest !== c.memory.digest) {
      throw new UsageError(`--resume: the checkpoint's memory ${JSON.stringify(c.memory.dir)} has changed since it trained (digest ${String(train.memory?.digest.slice(0, 12))}…, the checkpoint's ${c.memory.digest.slice(0, 12)}…); nothing was written`);
    }
    return { env: c.env, spec, train, args: c.args, resume: c, out: o.out ?? o.resume };
  }
  if (o.env === undefined && o.scenario === undefined) throw new UsageError(`--env: missing; give one of ${TRAIN_ENV_NAMES.join(", ")}, or --scenario NAME|FILE (or --resume DIR)`);
  if (o.steps === undefined) throw new UsageError(`--steps: missing; give the environment steps to train for, a positive integer`);
  if (o.out === undefined) throw new UsageError(`--out: missing; give the folder to write the policy, checkpoint and report into`);
  const spec: EnvSpec = o.scenario !== undefined ? { kind: "scenario", scenario: o.scenario, ...(o.memory === undefined ? {} : { memory: o.memory }) } : { kind: "env", name: o.env! };
  const env = envSpecName(spec);
  const train = await resolveFor(o.scenario !== undefined ? "--scenario" : "--env", spec);
  const base = train.ppo;
  const batch = base.numEnvs * base.numSteps;
  if (o.steps < batch) throw new UsageError(`--steps: ${o.steps} is less than one iteration of ${env} (${base.numEnvs} envs × ${base.numSteps} steps = ${batch}); give at least ${batch}`);
  const workers = o.workers ?? 1;
  if (workers > base.numEnvs) throw new UsageError(`--workers: ${workers} is more than the ${base.numEnvs} envs of ${env}; each worker steps at least one`);
  return { env, spec, train, args: { ...base, seed: o.seed ?? 1, totalTimesteps: o.steps, workers }, out: o.out };
}

/** Adds `train ppo` to `program`. */
export function addTrainCommand(program: Command): void {
  const train = program.command("train").description("train a policy on an RL environment (algorithms: ppo)");
  train
    .command("ppo")
    .description(`PPO on an environment (${TRAIN_ENV_NAMES.join(", ")}); writes DIR/policy.json, checkpoint.json (every iteration), curve.json, curve.csv, and report.html when done`)
    .option("--env <name>", `the environment (${TRAIN_ENV_NAMES.join(", ")})`)
    .option("--scenario <name>", "a market scenario to train in: a built-in name or a scenario file (experiments/rl/envs/market.ts; PPO defaults in experiments/rl/env-spec.ts)")
    .option("--steps <n>", "environment steps in all (summed over the parallel envs), a positive integer", parseSteps)
    .option("--workers <w>", `${workersHelp("the rollouts (each steps a share of the envs)")}; default 1 (in this thread); 1 and 2+ give different runs, all counts from 2 up the same`, (v) => parseWorkers("--workers", v))
    .option("--seed <n>", "run seed (weights, sampling, envs); default 1", (v) => parseSeed("--seed", v))
    .option("--out <dir>", `${OUT_HELP}; default with --resume: the resumed folder`, (v) => parsePath("--out", v))
    .option("--force", FORCE_HELP)
    .option("--resume <dir>", "continue the run whose checkpoint.json is in DIR (losing at most the iteration in progress)", (v) => parsePath("--resume", v))
    .option("--memory <dir>", "with --scenario: a market memory folder (arena memory build) whose answer fills the observation's memory features (agents/features/README.md); the policy then needs it to run", (v) => parsePath("--memory", v))
    .action(async (o: TrainOptions) => {
      const p = await plan(o);
      const { make } = p.train;
      const env = make();
      // What a PolicyBot needs to act as the policy was trained: the observation layout, the decision interval, the actions.
      const mem = p.train.memory;
      const market: MarketPolicyInfo | undefined = env instanceof MarketEnv
        ? {
          observation: "market-state", observationVersion: MARKET_STATE_VERSION, decisionSec: env.options.decisionSec, actionSizes: [...env.options.actionSizes], depthLevels: env.options.depthLevels, scenario: p.env.slice("scenario:".length),
          ...(mem === undefined ? {} : { memory: { digest: mem.digest, points: mem.meta.points, horizonBars: mem.meta.horizonBars, sources: [...mem.meta.sources] } }),
        }
        : undefined;
      const checkpointMemory = mem === undefined ? undefined : { dir: mem.dir, digest: mem.digest };
      if (mem !== undefined && env instanceof MarketEnv) process.stderr.write(`${memoryNote(mem, env)}\n`);
      const numIterations = Math.floor(p.args.totalTimesteps / (p.args.numEnvs * p.args.numSteps));
      const stepsTotal = numIterations * p.args.numEnvs * p.args.numSteps;
      let force = o.force === true;
      // One output commit per iteration: the folder always holds a whole checkpoint, its policy and curve.
      const commit = async (state: PpoState, policy: Policy, report?: string): Promise<void> => {
        const output = await openOutput({ command: "train", value: p.out, force });
        force = false;
        await output.write(async (dir) => {
          await saveCheckpoint(join(dir, "checkpoint.json"), { env: p.env, ...(checkpointMemory === undefined ? {} : { memory: checkpointMemory }), args: p.args, state });
          await savePolicy(join(dir, "policy.json"), p.env, env, policy, market);
          await writeAtomic(join(dir, "curve.json"), curveJson(state.curve));
          await writeAtomic(join(dir, "curve.csv"), curveCsv(state.curve));
          if (report !== undefined) await writeAtomic(join(dir, "report.html"), report);
        });
      };
      const tty = process.stderr.isTTY === true;
      const bar = tty ? new cliProgress.SingleBar({ format: "train [{bar}] {value}/{total} steps | {rate} steps/s | return {ret}", hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      const t0 = performance.now();
      const startStep = p.resume?.state.globalStep ?? 0;
      bar?.start(stepsTotal, startStep, { rate: "-", ret: "-" });
      const every = Math.max(1, Math.floor(numIterations / 20));
      const progress = (s: IterationStats) => {
        const rate = Math.round((s.globalStep - startStep) / ((performance.now() - t0) / 1000));
        const ret = Number.isFinite(s.episodeReturn) ? s.episodeReturn.toFixed(2) : "-";
        if (bar !== undefined) bar.update(s.globalStep, { rate, ret });
        else if (s.iteration % every === 0 || s.iteration === numIterations) {
          process.stderr.write(`train ${p.env}: iteration ${s.iteration}/${numIterations}, ${s.globalStep}/${stepsTotal} steps, ${rate} steps/s, mean episode return ${ret}\n`);
        }
      };
      let last: PpoState | undefined = p.resume?.state;
      let result;
      try {
        result = await trainPpo(p.spec, p.args, {
          clock: () => performance.now(),
          onIteration: progress,
          onCheckpoint: async (state) => {
            last = state;
            const norm = p.args.normObs ? new ObsNormalizer(Float64Array.from(state.rms.mean), Float64Array.from(state.rms.var)) : undefined;
            await commit(state, new Policy(state.actor, norm));
          },
        }, p.resume?.state);
      } finally {
        bar?.stop();
      }
      if (last === undefined) throw new Error("train: no iteration ran (steps below one batch should have been refused)");
      await commit(last, result.policy, trainReportHtml({ env: p.env, args: p.args, curve: result.curve, backend: result.backend }));
      const tail = result.curve.slice(-10).map((s) => s.episodeReturn).filter(Number.isFinite);
      const mean = tail.length === 0 ? NaN : tail.reduce((a, b) => a + b, 0) / tail.length;
      process.stdout.write(
        `${p.env} seed ${p.args.seed}: ${last.globalStep} steps (${result.curve.length} iterations${p.resume ? `, resumed at ${p.resume.state.iteration}` : ""}) in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${result.backend}${p.args.workers > 1 ? `, ${p.args.workers} rollout workers` : ""}\n` +
          `  mean episode return over the last ${tail.length} iterations ${Number.isFinite(mean) ? mean.toFixed(2) : "-"}\n` +
          `  wrote ${["policy.json", "checkpoint.json", "curve.json", "curve.csv", "report.html"].map((f) => join(p.out, f)).join(", ")}\n`,
      );
    });
}

/**
 * One line on the memory the envs read: what it holds and how much of it the first decision may
 * see (only outcomes known by the decision's simulated time count, and scenarios start at their `epoch`).
 */
function memoryNote(mem: NonNullable<ScenarioTrainEnv["memory"]>, env: MarketEnv): string {
  const first = env.firstDecisionMs;
  const known = mem.store.countSync({ must: [{ key: "end", range: { lte: first } }] });
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + "Z";
  return `memory ${mem.dir}: ${mem.meta.points} states (${mem.meta.sources.join(", ")}); ${known} of them have outcomes known by the first decision (${iso(first)}, the scenario's clock)` +
    (known < mem.meta.points ? `: the rest count only from their outcome's time on (a scenario file's "epoch" after the memory's data makes it all visible)` : "");
}
