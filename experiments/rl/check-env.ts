// A reusable env checker (Gymnasium's env_checker): determinism under a seed, spaces, finite rewards, the done rules.
import { Rng } from "../../sim/rng.ts";
import type { Env, EnvFactory, StepResult } from "./env.ts";
import { outside, sample } from "./spaces.ts";

export interface CheckOptions {
  /** Seed of the env and of the random actions. Default 1. */
  readonly seed?: number;
  /** Steps of the random-action run, across as many episodes as it takes. Default 1,000. */
  readonly steps?: number;
  /**
   * A policy that survives to the time limit (for envs that declare `maxEpisodeSteps`), so the
   * checker can see a time limit reported as truncated, not terminated. Without it that check is skipped.
   */
  readonly longPolicy?: (obs: Float32Array) => number | Float32Array;
}

type Action = number | Float32Array;

/** One recorded step (or reset, with reward NaN), copied out of the env's buffers. */
interface Row {
  readonly obs: number[];
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
}

/**
 * Runs every check on fresh envs from `make` and returns the problems found, one sentence each
 * (empty when the env keeps the contract). Never throws for a broken env: an exception thrown
 * by the env where none was due is reported as a problem.
 */
export function checkEnv(make: EnvFactory<Action>, options: CheckOptions = {}): string[] {
  const seed = options.seed ?? 1;
  const steps = options.steps ?? 1000;
  const problems: string[] = [];
  const guard = (what: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      problems.push(`${what} threw: ${(e as Error).message}`);
    }
  };
  guard("spaces", () => checkSpaces(make(), problems));
  guard("the random-action run", () => {
    const a = run(make(), seed, steps, problems);
    const b = run(make(), seed, steps, []);
    const i = firstDifference(a, b);
    if (i >= 0) problems.push(`not deterministic: two envs reset with seed ${seed} and given the same actions differ at row ${i} (${show(a[i])} vs ${show(b[i])})`);
    const env = make();
    run(env, seed + 1, steps, []);
    const again = run(env, seed, steps, []);
    const j = firstDifference(a, again);
    if (j >= 0) problems.push(`reset({ seed: ${seed} }) after other episodes does not restart the same trajectory: differs at row ${j}`);
  });
  guard("the done rules", () => checkDoneRules(make(), seed, problems));
  if (options.longPolicy !== undefined) guard("the time-limit run", () => checkTimeLimit(make(), seed, options.longPolicy!, problems));
  return problems;
}

/**
 * Like checkEnv, for tests: throws one Error listing every problem.
 * @throws Error if the env breaks the contract.
 */
export function assertEnv(make: EnvFactory<Action>, options?: CheckOptions): void {
  const problems = checkEnv(make, options);
  if (problems.length > 0) throw new Error(`env check failed:\n- ${problems.join("\n- ")}`);
}

function checkSpaces(env: Env<Action>, problems: string[]): void {
  const o = env.observationSpace;
  if (o.kind !== "box" || o.low.length !== o.shape[0] || o.high.length !== o.shape[0]) {
    problems.push("observationSpace must be a Box whose low and high have its shape's length");
  }
  if (env.maxEpisodeSteps !== undefined && !(Number.isInteger(env.maxEpisodeSteps) && env.maxEpisodeSteps > 0)) {
    problems.push(`maxEpisodeSteps ${env.maxEpisodeSteps} must be a positive integer`);
  }
  if (!throws(() => env.reset())) problems.push("the first reset() without a seed must throw: an unseeded env is not reproducible");
}

/** Random actions from a stream seeded by `seed`, resetting (unseeded) at each episode end. */
function run(env: Env<Action>, seed: number, steps: number, problems: string[]): Row[] {
  const actions = Rng.root(seed).fork("check-env/actions");
  const rows: Row[] = [];
  const first = env.reset({ seed });
  rows.push(checkObs(env, first.obs, NaN, false, false, "reset", problems));
  let episodeSteps = 0;
  for (let t = 0; t < steps; t++) {
    const r = env.step(sample(env.actionSpace, actions));
    episodeSteps++;
    rows.push(checkStep(env, r, `step ${t}`, problems));
    if (env.maxEpisodeSteps !== undefined && episodeSteps > env.maxEpisodeSteps) {
      problems.push(`an episode ran ${episodeSteps} steps, past maxEpisodeSteps ${env.maxEpisodeSteps}`);
    }
    if (r.terminated || r.truncated) {
      rows.push(checkObs(env, env.reset().obs, NaN, false, false, `reset after step ${t}`, problems));
      episodeSteps = 0;
    }
  }
  return rows;
}

function checkStep(env: Env<Action>, r: StepResult, where: string, problems: string[]): Row {
  if (!Number.isFinite(r.reward)) problems.push(`${where}: reward ${r.reward} must be finite`);
  if (typeof r.terminated !== "boolean" || typeof r.truncated !== "boolean") {
    problems.push(`${where}: terminated ${String(r.terminated)} and truncated ${String(r.truncated)} must be booleans`);
  }
  return checkObs(env, r.obs, r.reward, r.terminated, r.truncated, where, problems);
}

function checkObs(env: Env<Action>, obs: Float32Array, reward: number, terminated: boolean, truncated: boolean, where: string, problems: string[]): Row {
  const bad = outside(env.observationSpace, obs);
  if (bad !== undefined && problems.length < 20) problems.push(`${where}: observation ${bad}`);
  return { obs: Array.from(obs ?? []), reward, terminated, truncated };
}

function checkDoneRules(env: Env<Action>, seed: number, problems: string[]): void {
  if (!throws(() => env.step(sample(env.actionSpace, Rng.root(seed))))) problems.push("step() before reset() must throw");
  env.reset({ seed });
  const bad = env.actionSpace.kind === "discrete" ? env.actionSpace.n : new Float32Array(env.actionSpace.shape[0]).fill(NaN);
  if (!throws(() => env.step(bad))) problems.push(`step(${String(bad)}) outside the action space must throw`);
  const actions = Rng.root(seed).fork("check-env/done");
  const limit = env.maxEpisodeSteps ?? 100_000;
  for (let t = 0; t < limit; t++) {
    const r = env.step(sample(env.actionSpace, actions));
    if (r.terminated || r.truncated) {
      if (!throws(() => env.step(sample(env.actionSpace, actions)))) problems.push("step() after terminated or truncated must throw until reset()");
      return;
    }
  }
  problems.push(`no episode ended within ${limit} random steps`);
}

function checkTimeLimit(env: Env<Action>, seed: number, policy: (obs: Float32Array) => Action, problems: string[]): void {
  const limit = env.maxEpisodeSteps;
  if (limit === undefined) return;
  let obs = env.reset({ seed }).obs;
  for (let t = 1; t <= limit; t++) {
    const r = env.step(policy(obs));
    obs = r.obs;
    if (t < limit && r.truncated) problems.push(`truncated at step ${t}, before the time limit ${limit}`);
    if (t === limit && r.terminated && !r.truncated) {
      problems.push(`step ${limit} (the time limit) returned terminated = true, truncated = false: a time limit is a truncation`);
      return;
    }
    if (t < limit && r.terminated) {
      problems.push(`the long policy's episode terminated at step ${t} (of the limit ${limit}); give a policy that survives`);
      return;
    }
    if (t === limit && !r.truncated) problems.push(`step ${limit} (the time limit) must return truncated = true`);
    if (r.truncated) return;
  }
}

function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

function firstDifference(a: readonly Row[], b: readonly Row[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === undefined || b[i] === undefined || show(a[i]) !== show(b[i])) return i;
  }
  return -1;
}

function show(r: Row | undefined): string {
  return r === undefined ? "nothing" : `obs [${r.obs.join(", ")}] reward ${r.reward} ${r.terminated ? "terminated" : ""}${r.truncated ? "truncated" : ""}`;
}
