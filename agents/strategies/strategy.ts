// The strategy interface every rule bot implements: closed bars in, a signal out. Freqtrade's
// model (indicators -> entry/exit signals, with per-strategy stop-loss, ROI table, trailing stop
// and timeframe), but streaming: indicators update one bar at a time, so the same object runs
// on recorded history, in the simulator (bars built from the agents' trades) and live.
import type { ExitRules } from "../../market/fills/exits.ts";

/**
 * One closed bar. `time` is the bar's open in Unix milliseconds (UTC); prices in quote, volume
 * in base. The runner reuses one Candle object for every bar, so a strategy must copy what it
 * wants to keep and never hold on to the object itself.
 */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * What a strategy wants after a bar's close. "enter": be long (ignored when already long);
 * "exit": be flat (ignored when flat); "hold": no opinion. Orders fill at the next bar's open.
 */
export type Signal = "enter" | "exit" | "hold";

/** Market regimes, as regime detection labels them. */
export type Regime = "trending-up" | "trending-down" | "ranging" | "volatile" | "crisis" | "warming-up";

/**
 * Per-strategy exits, checked on every bar while a trade is open (Freqtrade's `stoploss`,
 * `minimal_roi`, `trailing_stop`); the shape and the rule that applies them live with the
 * shared fill model (market/fills/exits.ts).
 */
export type { ExitRules };

export const NO_EXITS: ExitRules = Object.freeze({ stoploss: null, roi: Object.freeze([]), trailing: null });

export interface Strategy {
  /** Registry name, e.g. "sma-cross". */
  readonly name: string;
  /** Bar length the strategy is written for: "1m", "5m", "15m", "1h", "4h" or "1d". */
  readonly timeframe: string;
  /** Bars needed before signals mean anything (Freqtrade's startup_candle_count). */
  readonly startupBars: number;
  readonly exits: ExitRules;
  /**
   * Consumes the next closed bar (bars arrive in time order, each exactly once) and returns the
   * signal as of its close. It sees only this bar and earlier ones: there is no way to ask for
   * a later bar, which is what makes look-ahead impossible by construction.
   */
  update(bar: Candle): Signal;
  /** The regime the strategy currently believes in, for strategies that detect one. */
  regime?(): Regime;
}
