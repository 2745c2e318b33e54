// What the replay runner needs of a risk manager (agents/risk/risk-manager.ts's RiskManager fits it).
import type { RiskConfig, RiskEvent } from "../../agents/risk/risk.ts";

/**
 * The risk manager as the runner uses it. Prices and money in quote, times Unix ms. The
 * runner calls `observe` once per time step at the close (portfolio equity), before acting on
 * any signal; `sizeEntry` before every entry; the level methods on every bar of an open trade.
 */
export interface RiskGate {
  readonly config: RiskConfig;
  readonly events: RiskEvent[];
  observe(time: number, equity: number): void;
  /** True right after an `observe` that tripped the circuit breaker: close everything. */
  readonly closeAllNow: boolean;
  /** True while new entries are not allowed. */
  readonly paused: boolean;
  /** Quote the entry may use (0 = blocked); records a risk event when it blocks or resizes. */
  sizeEntry(time: number, pair: string, wantedQuote: number, equity: number, exposureQuote: number, openTrades: number): number;
  /** Protective stop level; NaN when off. */
  stopPrice(entryPrice: number, bestPrice: number): number;
  /** "stop-loss" or "trailing-stop": which rule gives `stopPrice`. */
  stopRule(entryPrice: number, bestPrice: number): string;
  /** Take-profit level; NaN when off. */
  takeProfitPrice(entryPrice: number): number;
  /** Records an exit the manager forced. */
  forced(time: number, pair: string, rule: string, detail: string): void;
}
