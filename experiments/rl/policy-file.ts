// policy.json on disk: saving a trained policy atomically and loading one for an env (the schema lives in agents/policy).
import { readFile } from "node:fs/promises";
import { writeAtomic } from "../../sim/atomic-write.ts";
import {
  issues, mlpFromJson, MlpJson, mlpToJson, NormalizerJson, parseJsonText, POLICY_FORMAT, POLICY_VERSION, PolicyFileError,
  policyFromJson, type MarketPolicyInfo, type PolicyJsonData,
} from "../../agents/policy/policy-json.ts";
import type { Policy } from "../../agents/policy/policy.ts";
import type { Env } from "./env.ts";
import type { Discrete } from "./spaces.ts";

export { issues, mlpFromJson, MlpJson, mlpToJson, NormalizerJson, POLICY_FORMAT, POLICY_VERSION, PolicyFileError, policyFromJson, type MarketPolicyInfo, type PolicyJsonData };

const toBound = (x: number): number | string => (Number.isFinite(x) ? x : String(x));

/** The JSON of `policy` trained on `envName` (whose spaces are `env`'s); `market` for policies of a market scenario. */
export function policyToJson(envName: string, env: Pick<Env, "observationSpace" | "actionSpace">, policy: Policy, market?: MarketPolicyInfo): PolicyJsonData {
  const obs = env.observationSpace;
  const act = env.actionSpace as Discrete;
  const n = policy.normalizer;
  return {
    format: POLICY_FORMAT,
    version: POLICY_VERSION,
    env: envName,
    observationSpace: { kind: "box", shape: [obs.shape[0]], low: Array.from(obs.low, toBound) as never, high: Array.from(obs.high, toBound) as never },
    actionSpace: { kind: "discrete", n: act.n },
    normalizer: n === undefined ? null : { mean: Array.from(n.mean), var: Array.from(n.variance), clip: n.clip },
    actor: mlpToJson(policy.actor),
    ...(market === undefined ? {} : { market: { ...market, actionSizes: [...market.actionSizes] } }),
  };
}

/** Saves `policy` as policy.json at `path` (atomically). */
export async function savePolicy(path: string, envName: string, env: Pick<Env, "observationSpace" | "actionSpace">, policy: Policy, market?: MarketPolicyInfo): Promise<void> {
  await writeAtomic(path, JSON.stringify(policyToJson(envName, env, policy, market)) + "\n");
}

/** Reads and parses a JSON file; every failure is a PolicyFileError naming `what` and the path. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new PolicyFileError(`${what} ${path} cannot be read (${String(code ?? (err as Error).message)})`);
  }
  return parseJsonText(text, path, what);
}

/** Loads policy.json for `env`. @throws PolicyFileError as `policyFromJson`, or when the file cannot be read or parsed. */
export async function loadPolicy(path: string, env: Pick<Env, "observationSpace" | "actionSpace">): Promise<Policy> {
  return policyFromJson(await readJsonFile(path, "policy"), path, env);
}
