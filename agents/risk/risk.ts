// The risk manager's contract, shared by every bot in every venue (simulator, history, paper,
// live). The runner asks before every entry and after every bar; the manager answers and keeps
// a record of every order it blocked, resized or forced, with the rule and the numbers.

/** Every rule can be re-parameterised or switched off (null) from config. Fractions, not %. */
export interface RiskConfig {
  /** Largest position per trade, as a share of equity (0.10). */
  readonly maxPositionPct: number | null;
  /** Largest sum of open positions' value, as a share of equity (0.30). */
  readonly maxExposurePct: number | null;
  /** Most trades open at once, across pairs (3). */
  readonly maxOpenTrades: number | null;
  /** Stop-loss below entry, always active (0.03 = exit at -3%). */
  readonly stopLossPct: number | null;
  /** Trailing stop: distance below the trade's best price (0.03); null for none. */
  readonly trailingStopPct: number | null;
  /** Take profit at this gain (0.05). */
  readonly roiPct: number | null;
  /** Stop new entries for the rest of the UTC day after losing this share of the day's starting equity (0.05). */
  readonly dailyLossPct: number | null;
  /** Pause entries and close positions when equity falls this far below its peak (0.10). */
  readonly circuitBreakerPct: number | null;
  /** How long the circuit breaker pauses, in minutes; the peak resets when it resumes. */
  readonly circuitPauseMinutes: number;
}

export type RiskAction = "blocked" | "resized" | "forced-exit" | "paused" | "resumed";

/** One decision the manager made against what a strategy wanted. */
export interface RiskEvent {
  /** Unix ms of the bar on which it was decided. */
  readonly time: number;
  readonly action: RiskAction;
  /** The rule that fired: "max-position", "max-exposure", "max-open-trades", "stop-loss", "trailing-stop", "roi", "daily-loss", "circuit-breaker". */
  readonly rule: string;
  readonly pair: string;
  /** Human-readable numbers, e.g. "wanted 9500.00, allowed 1000.00 (10% of equity 10000.00)". */
  readonly detail: string;
}
