// Rule strategies by name, each with its parameter schema and a factory: what runners and the CLI can name.
import type { z } from "zod";
import { shown, ValidationError, parseAt } from "../../market/validate.ts";
import { Breakout, BreakoutParams } from "./breakout.ts";
import { Ensemble, EnsembleParams } from "./ensemble.ts";
import { MeanReversion, MeanReversionParams } from "./mean-reversion.ts";
import { createMemoryRsi, MemoryRsiParams } from "./memory-rsi.ts";
import { SmaCross, SmaCrossParams } from "./sma-cross.ts";
import type { Strategy } from "./strategy.ts";
import { TrendFollowing, TrendFollowingParams } from "./trend-following.ts";

export interface StrategyType {
  readonly describe: string;
  /**
   * A zod strictObject whose fields all have defaults, so `{}` parses, except what a strategy
   * cannot run without (memory-rsi's `memory` folder), which `needs` names.
   */
  readonly params: z.ZodType;
  /** Builds a fresh strategy from params already parsed by `params`. */
  create(params: any): Strategy;
  /** Params `{}` lacks: required fields, with what they hold. */
  readonly needs?: Readonly<Record<string, string>>;
}

/** Every strategy by registry name. */
export const STRATEGIES: Readonly<Record<string, StrategyType>> = Object.freeze({
  "sma-cross": {
    describe: "long from a fast SMA's cross above a slow one to its cross below (Backtrader's SmaCross)",
    params: SmaCrossParams,
    create: (p: SmaCrossParams) => new SmaCross(p),
  },
  "trend-following": {
    describe: "long while EMA 9 > 21 > 50 with ADX above 25 and above-average volume",
    params: TrendFollowingParams,
    create: (p: TrendFollowingParams) => new TrendFollowing(p),
  },
  "mean-reversion": {
    describe: "buys a close at the lower Bollinger band with RSI oversold, sells at the middle band",
    params: MeanReversionParams,
    create: (p: MeanReversionParams) => new MeanReversion(p),
  },
  breakout: {
    describe: "buys a close above the prior highs on a volume surge, sells below support or an ATR trail",
    params: BreakoutParams,
    create: (p: BreakoutParams) => new Breakout(p),
  },
  ensemble: {
    describe: "routes by regime: trend following when trending up, mean reversion when ranging, breakout when volatile, flat otherwise",
    params: EnsembleParams,
    create: (p: EnsembleParams) => new Ensemble(p),
  },
  "memory-rsi": {
    describe: "the seed's memory-enhanced strategy: RSI(14) < 40 enters when the market memory (params.memory, a folder of arena memory build) says risk < 0.5, confidence > 0.6 and no anomaly; RSI > 60 exits",
    params: MemoryRsiParams,
    create: (p: MemoryRsiParams) => createMemoryRsi(p),
    needs: { memory: "a memory folder written by arena memory build" },
  },
});

/** Registry names, in registry order. */
export function strategyNames(): string[] {
  return Object.keys(STRATEGIES);
}

/**
 * A new strategy by name from unparsed params (defaults fill what is missing).
 * @throws ValidationError naming `strategy` for an unknown name (with the known names), or
 *   `params.FIELD` with the value and the rule for invalid params.
 */
export function createStrategy(name: string, params: unknown = {}): Strategy {
  const type = Object.hasOwn(STRATEGIES, name) ? STRATEGIES[name] : undefined;
  if (type === undefined) {
    throw new ValidationError("strategy", `strategy: ${shown(name)} is invalid: unknown strategy; known: ${strategyNames().join(", ")}`);
  }
  return type.create(parseAt(type.params, params, "params"));
}
