// policy.json: a trained policy as one versioned JSON file (spaces, normaliser, actor weights), checked with zod on load.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { Env } from "./env.ts";
import type { MlpParams } from "./mlp.ts";
import { ObsNormalizer } from "./normalize.ts";
import { Policy } from "./policy.ts";
import type { Discrete } from "./spaces.ts";

/** The format's name and version, written into every file; a reader refuses any other. */
export const POLICY_FORMAT = "btc-arena/policy";
export const POLICY_VERSION = 1;

/** A refused policy or checkpoint file: the message names the file and what is wrong. */
export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyFileError";
  }
}

// JSON has no Infinity: unbounded box elements are written as the strings "Infinity" / "-Infinity".
const Bound = z.union([z.number(), z.literal("Infinity"), z.literal("-Infinity")]);
const toBound = (x: number): number | string => (Number.isFinite(x) ? x : String(x));

const BoxJson = z.object({ kind: z.literal("box"), shape: z.tuple([z.number().int().positive()]), low: z.array(Bound), high: z.array(Bound) });
const DiscreteJson = z.object({ kind: z.literal("discrete"), n: z.number().int().positive() });

/** An MLP's layer sizes and weights as plain arrays (tfjs layout: weights[l] is sizes[l] × sizes[l+1], row-major). */
export const MlpJson = z.object({
  sizes: z.array(z.number().int().positive()).min(2),
  weights: z.array(z.array(z.number())),
  biases: z.array(z.array(z.number())),
}).superRefine((m, ctx) => {
  const layers = m.sizes.length - 1;
  if (m.weights.length !== layers || m.biases.length !== layers) {
    ctx.addIssue({ code: "custom", message: `${layers} layers need ${layers} weight and bias arrays (got ${m.weights.length} and ${m.biases.length})` });
    return;
  }
  for (let l = 0; l < layers; l++) {
    if (m.weights[l].length !== m.sizes[l] * m.sizes[l + 1]) ctx.addIssue({ code: "custom", path: ["weights", l], message: `has ${m.weights[l].length} numbers, must be ${m.sizes[l]}×${m.sizes[l + 1]}` });
    if (m.biases[l].length !== m.sizes[l + 1]) ctx.addIssue({ code: "custom", path: ["biases", l], message: `has ${m.biases[l].length} numbers, must be ${m.sizes[l + 1]}` });
  }
});

export const NormalizerJson = z.object({ mean: z.array(z.number()), var: z.array(z.number().nonnegative()), clip: z.number().positive() });

const PolicyJson = z.object({
  format: z.literal(POLICY_FORMAT),
  version: z.number().int(),
  env: z.string().min(1),
  observationSpace: BoxJson,
  actionSpace: DiscreteJson,
  normalizer: NormalizerJson.nullable(),
  actor: MlpJson,
});

export type PolicyJsonData = z.infer<typeof PolicyJson>;

export function mlpToJson(p: MlpParams): z.infer<typeof MlpJson> {
  return { sizes: [...p.sizes], weights: p.weights.map((w) => Array.from(w)), biases: p.biases.map((b) => Array.from(b)) };
}

export function mlpFromJson(j: z.infer<typeof MlpJson>): MlpParams {
  return { sizes: j.sizes, weights: j.weights.map((w) => Float32Array.from(w)), biases: j.biases.map((b) => Float32Array.from(b)) };
}

/** The JSON of `policy` trained on `envName` (whose spaces are `env`'s). */
export function policyToJson(envName: string, env: Pick<Env, "observationSpace" | "actionSpace">, policy: Policy): PolicyJsonData {
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
  };
}

/**
 * Writes `text` to `path` through a temporary sibling and a rename, so a crash leaves the old file
 * or the new one, never half of one.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Saves `policy` as policy.json at `path` (atomically). */
export async function savePolicy(path: string, envName: string, env: Pick<Env, "observationSpace" | "actionSpace">, policy: Policy): Promise<void> {
  await writeAtomic(path, JSON.stringify(policyToJson(envName, env, policy)) + "\n");
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
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PolicyFileError(`${what} ${path} is corrupt: not valid JSON (${(err as Error).message})`);
  }
}

/** The zod issues of a refused file, one line: "path: message; ...". */
export function issues(err: z.ZodError): string {
  return err.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
}

/**
 * Checks a parsed policy file against `env` and builds the policy.
 * @throws PolicyFileError if the file is not a policy of this format and version, or its
 *   observation size, action count or network sizes do not match `env`.
 */
export function policyFromJson(raw: unknown, path: string, env: Pick<Env, "observationSpace" | "actionSpace">): Policy {
  if (typeof raw === "object" && raw !== null && (raw as { format?: unknown }).format === POLICY_FORMAT && (raw as { version?: unknown }).version !== POLICY_VERSION) {
    throw new PolicyFileError(`policy ${path} has format version ${JSON.stringify((raw as { version?: unknown }).version)}; this arena reads version ${POLICY_VERSION}`);
  }
  const r = PolicyJson.safeParse(raw);
  if (!r.success) throw new PolicyFileError(`policy ${path} is corrupt or not a policy file: ${issues(r.error)}`);
  const p = r.data;
  const obsSize = env.observationSpace.shape[0];
  const fileObs = p.observationSpace.shape[0];
  if (fileObs !== obsSize) throw new PolicyFileError(`policy ${path} observes ${fileObs} values (trained on ${p.env}), but this environment's observation has ${obsSize}`);
  const act = env.actionSpace;
  if (act.kind !== "discrete" || act.n !== p.actionSpace.n) {
    throw new PolicyFileError(`policy ${path} chooses among ${p.actionSpace.n} actions (trained on ${p.env}), but this environment's action space is ${act.kind === "discrete" ? `${act.n} actions` : "continuous"}`);
  }
  if (p.actor.sizes[0] !== obsSize || p.actor.sizes.at(-1) !== act.n) {
    throw new PolicyFileError(`policy ${path}: its network maps ${p.actor.sizes[0]} inputs to ${String(p.actor.sizes.at(-1))} outputs, the spaces say ${obsSize} to ${act.n}`);
  }
  let normalizer: ObsNormalizer | undefined;
  if (p.normalizer !== null) {
    if (p.normalizer.mean.length !== obsSize || p.normalizer.var.length !== obsSize) throw new PolicyFileError(`policy ${path}: normalizer mean/var must have ${obsSize} elements`);
    normalizer = new ObsNormalizer(Float64Array.from(p.normalizer.mean), Float64Array.from(p.normalizer.var), p.normalizer.clip);
  }
  return new Policy(mlpFromJson(p.actor), normalizer);
}

/** Loads policy.json for `env`. @throws PolicyFileError as `policyFromJson`, or when the file cannot be read or parsed. */
export async function loadPolicy(path: string, env: Pick<Env, "observationSpace" | "actionSpace">): Promise<Policy> {
  return policyFromJson(await readJsonFile(path, "policy"), path, env);
}
