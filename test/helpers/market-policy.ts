// Writes small market policies (policy.json with a market section) for the tests of the PolicyBot and its commands.
import { writeFileSync } from "node:fs";
import { MARKET_FEATURE_COUNT, MARKET_STATE_VERSION } from "../../agents/features/market-state.ts";
import { Policy } from "../../agents/policy/policy.ts";
import { initMlp } from "../../experiments/rl/mlp.ts";
import { policyToJson } from "../../experiments/rl/policy-file.ts";
import { box, discrete } from "../../experiments/rl/spaces.ts";
import { Rng } from "../../sim/rng.ts";

/**
 * A policy of random weights (seeded) over the market state, 7 actions (sizes 0.1, 0.5, 1), as
 * `arena train ppo --scenario normal` would save it; `obsSize` other than 51 makes a mismatched one.
 * `bias` adds to the output layer's biases (e.g. to make it trade more or less).
 */
export function writeMarketPolicy(path: string, o: { seed?: number; obsSize?: number; bias?: readonly number[] } = {}): void {
  const n = o.obsSize ?? MARKET_FEATURE_COUNT;
  const actor = initMlp([n, 16, 7], 1, Rng.root(o.seed ?? 1));
  if (o.bias !== undefined) o.bias.forEach((b, i) => (actor.biases[1][i] += b));
  const spaces = { observationSpace: box(n, -100, 100), actionSpace: discrete(7) };
  const json = policyToJson("scenario:normal", spaces, new Policy(actor, undefined), {
    observation: "market-state", observationVersion: MARKET_STATE_VERSION, decisionSec: 1, actionSizes: [0.1, 0.5, 1], depthLevels: 5, scenario: "normal",
  });
  writeFileSync(path, JSON.stringify(json) + "\n");
}
