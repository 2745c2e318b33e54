// policy.json's schema (zod) and its parsing into a Policy: shared by `arena train` and the PolicyBot.
import { z } from "zod";
import type { MlpParams } from "./mlp-forward.ts";
import { ObsNormalizer } from "./obs-normalizer.ts";
import { Policy } from "./policy.ts";

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

/** Which market memory a policy was trained with: the folder's digest (agents/memory/memory-folder.ts) and, for messages, what it holds. */
export const MemoryRefJson = z.strictObject({
  /** sha256 over the folder's memory.json and store/manifest.json. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** States in it, the outcome horizon in bars, and where they came from, as its memory.json says. */
  points: z.number().int().nonnegative(),
  horizonBars: z.number().int().positive(),
  sources: z.array(z.string()),
});
export type MemoryRef = z.infer<typeof MemoryRefJson>;

/**
 * What a policy trained in a market scenario needs to act again elsewhere (the PolicyBot): the
 * observation layout and its version (agents/features), the decision interval and the action sizes.
 * Absent from policies of the other envs; an optional field, so files without it still load.
 */
export const MarketPolicyJson = z.object({
  /** The observation builder: "market-state" (agents/features/market-state.ts). */
  observation: z.literal("market-state"),
  /** MARKET_STATE_VERSION the policy was trained with. */
  observationVersion: z.number().int().positive(),
  /** Simulated seconds between decisions. */
  decisionSec: z.number().positive(),
  /** Order sizes as fractions of equity: action 1..k buys, k+1..2k sells (agents/policy/market-actions.ts). */
  actionSizes: z.array(z.number().gt(0).max(1)).min(1),
  /** Book levels summed for the depth features. */
  depthLevels: z.number().int().positive(),
  /** The scenario it was trained on (a built-in name or a file), for reports. */
  scenario: z.string(),
  /**
   * The market memory features 47-50 were read from (arena train ppo --memory); absent when it
   * trained without one. A bot running it needs a memory folder of the same digest.
   */
  memory: MemoryRefJson.optional(),
});
export type MarketPolicyInfo = z.infer<typeof MarketPolicyJson>;

export const PolicyJson = z.object({
  format: z.literal(POLICY_FORMAT),
  version: z.number().int(),
  env: z.string().min(1),
  observationSpace: BoxJson,
  actionSpace: DiscreteJson,
  normalizer: NormalizerJson.nullable(),
  actor: MlpJson,
  market: MarketPolicyJson.optional(),
});

export type PolicyJsonData = z.infer<typeof PolicyJson>;

/** The spaces a policy is checked against (an Env's, structurally). */
export interface PolicySpaces {
  readonly observationSpace: { readonly shape: readonly [number] };
  readonly actionSpace: { readonly kind: "discrete"; readonly n: number } | { readonly kind: "box" };
}

export function mlpToJson(p: MlpParams): z.infer<typeof MlpJson> {
  return { sizes: [...p.sizes], weights: p.weights.map((w) => Array.from(w)), biases: p.biases.map((b) => Array.from(b)) };
}

export function mlpFromJson(j: z.infer<typeof MlpJson>): MlpParams {
  return { sizes: j.sizes, weights: j.weights.map((w) => Float32Array.from(w)), biases: j.biases.map((b) => Float32Array.from(b)) };
}

/** The zod issues of a refused file, one line: "path: message; ...". */
export function issues(err: z.ZodError): string {
  return err.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
}

/** Parses JSON text; a failure is a PolicyFileError naming `what` and the path. */
export function parseJsonText(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PolicyFileError(`${what} ${path} is corrupt: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Checks a parsed file is a policy of this format and version.
 * @throws PolicyFileError naming the file and what is wrong.
 */
export function parsePolicyJson(raw: unknown, path: string): PolicyJsonData {
  if (typeof raw === "object" && raw !== null && (raw as { format?: unknown }).format === POLICY_FORMAT && (raw as { version?: unknown }).version !== POLICY_VERSION) {
    throw new PolicyFileError(`policy ${path} has format version ${JSON.stringify((raw as { version?: unknown }).version)}; this arena reads version ${POLICY_VERSION}`);
  }
  const r = PolicyJson.safeParse(raw);
  if (!r.success) throw new PolicyFileError(`policy ${path} is corrupt or not a policy file: ${issues(r.error)}`);
  return r.data;
}

/**
 * Checks a parsed policy file against `env`'s spaces and builds the policy.
 * @throws PolicyFileError if the file is not a policy of this format and version, or its
 *   observation size, action count or network sizes do not match `env`.
 */
export function policyFromJson(raw: unknown, path: string, env: PolicySpaces): Policy {
  const p = parsePolicyJson(raw, path);
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
