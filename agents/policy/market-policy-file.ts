// Loads a market policy (policy.json with a market section) synchronously, checking it fits the market state this code builds.
import { readFileSync } from "node:fs";
import { MARKET_FEATURE_COUNT, MARKET_STATE_VERSION } from "../features/market-state.ts";
import { marketActionCount } from "./market-actions.ts";
import { parseJsonText, parsePolicyJson, PolicyFileError, policyFromJson, type MarketPolicyInfo } from "./policy-json.ts";
import type { Policy } from "./policy.ts";

/** A policy a bot can run in a market: the network and how it was trained to observe and act. */
export interface MarketPolicy {
  readonly policy: Policy;
  readonly market: MarketPolicyInfo;
}

/**
 * Reads policy.json at `path` (synchronously: bots are built synchronously from their params).
 * @throws PolicyFileError naming the file when it cannot be read, is not JSON or not a policy,
 *   was not trained on a market scenario, or observes another layout, version or size than the
 *   market state here (MARKET_STATE_VERSION, MARKET_FEATURE_COUNT features).
 */
export function loadMarketPolicy(path: string): MarketPolicy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new PolicyFileError(`policy ${path} cannot be read (${String(code ?? (err as Error).message)})`);
  }
  const raw = parseJsonText(text, path, "policy");
  const data = parsePolicyJson(raw, path);
  const market = data.market;
  if (market === undefined) throw new PolicyFileError(`policy ${path} was trained on ${data.env}, not a market scenario (it has no "market" section): a policy bot runs policies from arena train ppo --scenario`);
  if (market.observationVersion !== MARKET_STATE_VERSION) {
    throw new PolicyFileError(`policy ${path} observes market-state version ${market.observationVersion}; this arena builds version ${MARKET_STATE_VERSION}`);
  }
  const size = data.observationSpace.shape[0];
  if (size !== MARKET_FEATURE_COUNT) throw new PolicyFileError(`policy ${path} observes ${size} values, but the market state (version ${MARKET_STATE_VERSION}) has ${MARKET_FEATURE_COUNT}`);
  const n = marketActionCount(market.actionSizes);
  const policy = policyFromJson(raw, path, { observationSpace: { shape: [MARKET_FEATURE_COUNT] }, actionSpace: { kind: "discrete", n } });
  return { policy, market };
}
