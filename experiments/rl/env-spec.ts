// An environment named as plain data, so a worker thread can build its own copies of it.
import { TRAIN_ENVS, type TrainEnv } from "./train-envs.ts";

/** A built-in RL env by name, or a market scenario's env. Structured-cloneable. */
export type EnvSpec = { kind: "env"; name: string } | { kind: "scenario"; scenario: string; options?: unknown };

/**
 * The env (factory and PPO arguments) `spec` names.
 * @throws RangeError naming the env if it is not a built-in one; Error for a scenario (not built yet).
 */
export async function resolveEnvSpec(spec: EnvSpec): Promise<TrainEnv> {
  if (spec.kind === "scenario") throw new Error("market environments arrive with the rlenv branch");
  if (!Object.hasOwn(TRAIN_ENVS, spec.name)) throw new RangeError(`env ${JSON.stringify(spec.name)} is not a built-in environment (known: ${Object.keys(TRAIN_ENVS).join(", ")})`);
  return TRAIN_ENVS[spec.name];
}
