// A serialisable description of a training env (a registered env, or a market scenario with options), so worker threads can rebuild it.
import { storeReader } from "../../agents/features/memory-features.ts";
import { openMemoryFolder, type OpenedMemory } from "../../agents/memory/memory-folder.ts";
import { builtinSpecOf, WORLDS } from "../../scenarios/registry.ts";
import { typeRegistry } from "../../scenarios/build.ts";
import { loadScenarioFile, type ScenarioSpec } from "../../scenarios/spec.ts";
import { MarketEnv, MarketEnvOptions, type MarketEnvOptionsInput } from "./envs/market.ts";
import { PPO_DEFAULTS, type PpoArgs } from "./ppo.ts";
import { TRAIN_ENV_NAMES, TRAIN_ENVS, type TrainEnv } from "./train-envs.ts";

/** A built-in RL env by name, or a market scenario's env, as plain data (structured-cloneable): what a rollout worker is sent. */
export type EnvSpec =
  | { readonly kind: "env"; readonly name: string }
  | {
    readonly kind: "scenario";
    readonly scenario: string;
    readonly options?: MarketEnvOptionsInput;
    /** A market memory folder (arena memory build) for the observation's memory features; each thread opens it. */
    readonly memory?: string;
  };

/** A TrainEnv over a market scenario, with the memory its envs read when the spec names one. */
export interface ScenarioTrainEnv extends TrainEnv {
  readonly memory?: OpenedMemory & { readonly dir: string };
}

/**
 * PPO on a market scenario (the seed design's defaults: learning rate 1e-4, batch 4000): 4 envs ×
 * 1,000 decisions, 16 minibatches of 250 (at this small learning rate, more Adam steps per batch), 4 epochs; γ 0.99 (a horizon of about 100 decisions),
 * λ 0.95, a small entropy bonus so the 7 actions stay explored, observation normalisation on; the
 * value loss unclipped (returns are not normalised, so a clip of 0.2 would pin the critic near its start).
 */
export const MARKET_PPO: PpoArgs = Object.freeze({
  ...PPO_DEFAULTS,
  numEnvs: 4,
  numSteps: 1000,
  numMinibatches: 16,
  updateEpochs: 4,
  learningRate: 1e-4,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  entCoef: 0.01,
  clipVloss: false,
  hidden: [64, 64],
});

/** The name a scenario spec trains under, as policy.json and checkpoint.json record it. */
export function envSpecName(spec: EnvSpec): string {
  return spec.kind === "env" ? spec.name : `scenario:${spec.scenario}`;
}

/**
 * A built-in scenario by name, or a scenario file (a path or a .json name).
 * @throws Error naming the scenario when it is neither, or the file's problem when it is refused.
 */
export async function loadScenario(scenario: string): Promise<ScenarioSpec> {
  const builtin = builtinSpecOf(scenario);
  if (builtin !== undefined) return builtin;
  if (!/[\\/]|\.json$/i.test(scenario)) {
    throw new Error(`scenario: ${JSON.stringify(scenario)} is not a built-in (known: ${Object.keys(WORLDS).filter((w) => builtinSpecOf(w) !== undefined).join(", ")}) nor a .json file`);
  }
  return loadScenarioFile(scenario, typeRegistry());
}

/**
 * The TrainEnv an EnvSpec names: a registered env as it is, or a MarketEnv over the scenario
 * (loaded once; each `make` builds a fresh env) with MARKET_PPO.
 * @throws RangeError naming an unknown env; Error for an unknown scenario, a refused scenario file, or options zod refuses (naming the field);
 *   VectorStoreError naming the file of a memory folder that cannot be opened.
 */
export async function resolveEnvSpec(spec: EnvSpec): Promise<ScenarioTrainEnv> {
  if (spec.kind === "env") {
    if (!Object.hasOwn(TRAIN_ENVS, spec.name)) throw new RangeError(`env ${JSON.stringify(spec.name)} is not a built-in environment (known: ${TRAIN_ENV_NAMES.join(", ")})`);
    return TRAIN_ENVS[spec.name];
  }
  const scenario = await loadScenario(spec.scenario);
  // Checked here; the env applies the defaults (the warm-up's depends on the memory).
  MarketEnvOptions.parse(spec.options ?? {});
  const options = spec.options ?? {};
  const memory = spec.memory === undefined ? undefined : { ...(await openMemoryFolder(spec.memory)), dir: spec.memory };
  // One reader for all the envs of this thread: the store is only read.
  const reader = memory === undefined ? undefined : storeReader(memory.store, memory.meta.lossScale);
  // Built once here, so a bad combination (an episode past the scenario's end) is refused before any training.
  new MarketEnv(scenario, options, reader);
  return { make: () => new MarketEnv(scenario, options, reader), ppo: MARKET_PPO, memory };
}
