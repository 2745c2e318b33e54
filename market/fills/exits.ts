// Protective exits inside a bar (stop-loss, trailing stop, ROI table, the risk manager's stop and take-profit): one rule.
//
// THE RULE (Freqtrade's, made explicit). A position entered at bar e's open is checked on every
// bar b ≥ e, the entry bar included (its whole range comes after the open it filled at); a
// decision bar's own prices, before the fill, are never used. For bar b:
//   1. levels are computed from what was known at b's open: the stop is the highest of the
//      strategy's stop-loss, its trailing stop and the risk manager's stop; the take-profit is the
//      lowest of the strategy's ROI level (by the trade's age at b's open) and the risk manager's
//      take-profit. Trailing stops trail the best HIGH of the bars before b (and the entry
//      price), so a bar can never raise its own stop and then hit it.
//   2. stop: if b opens at or below the stop, the exit fills at the open (a gap through the
//      stop); else if b's low reaches the stop, it fills at the stop.
//   3. take-profit: if b opens at or above it, at the open; else if b's high reaches it, at it.
//   4. both touched in one bar: the stop wins (pessimistic: nobody knows which came first).
// The fill then pays slippage and commission like any sell (costs.ts); a bot in the simulator
// sends the exit as a market order once its bar has closed.

/**
 * Per-strategy exits (Freqtrade's `stoploss`, `minimal_roi`, `trailing_stop`). Fractions, not
 * percent: -0.03 is -3%. Strategies (agents/strategies/strategy.ts) declare theirs in this shape.
 */
export interface ExitRules {
  /** Stop-loss relative to the entry price, negative (-0.1 = -10%); null for none. */
  readonly stoploss: number | null;
  /**
   * ROI table: [minutes since entry, minimum profit]; the entry with the largest minutes not
   * after the trade's age applies (Freqtrade's `minimal_roi`). Empty for none.
   */
  readonly roi: ReadonlyArray<readonly [minutes: number, profit: number]>;
  /**
   * Trailing stop: once the trade's best price has gained `offset` (0 = at once), the stop
   * trails `distance` below that best price. null for none.
   */
  readonly trailing: { readonly distance: number; readonly offset: number } | null;
}

/**
 * What the exit levels need of a risk manager (agents/risk's RiskManager has it). Prices in
 * quote; NaN means the rule is off.
 */
export interface RiskLevels {
  /** The risk stop for a trade entered at `entry` whose best price so far is `best`. */
  stopPrice(entry: number, best: number): number;
  /** Which rule set that stop: "trailing-stop", "stop-loss" or "none". */
  stopRule(entry: number, best: number): string;
  /** The risk take-profit for a trade entered at `entry`. */
  takeProfitPrice(entry: number): number;
}

/** Why a trade ended. Risk rules reuse the names (a risk stop is "stop-loss", its take-profit "roi"). */
export type ExitReason = "signal" | "stop-loss" | "roi" | "trailing-stop" | "circuit-breaker" | "end-of-data";

/** Every exit reason, in a fixed order (codes in typed arrays index this list). */
export const EXIT_REASONS: readonly ExitReason[] = ["signal", "stop-loss", "roi", "trailing-stop", "circuit-breaker", "end-of-data"];

/**
 * ROI threshold of a table at a trade's age: the profit of the entry with the largest minutes
 * not after `ageMinutes` (Freqtrade's `minimal_roi`), as a fraction; NaN when none applies.
 * Expects the table sorted by minutes (as `sortRoi` gives).
 */
export function roiAt(roi: ExitRules["roi"], ageMinutes: number): number {
  let p = NaN;
  for (let i = 0; i < roi.length; i++) {
    if (roi[i][0] <= ageMinutes) p = roi[i][1];
    else break;
  }
  return p;
}

/** A copy of an ROI table sorted by minutes. */
export function sortRoi(roi: ExitRules["roi"]): ExitRules["roi"] {
  return roi.slice().sort((a, b) => a[0] - b[0]);
}

/**
 * The protective levels of one open trade for one bar, and the intra-bar exit they give.
 * One instance is reused for every check (no allocation per bar). Prices in quote.
 */
export class ProtectiveExits {
  /** Stop level (NaN: none) and who set it. */
  stop = NaN;
  stopReason: ExitReason = "stop-loss";
  stopByRisk = false;
  /** Take-profit level (NaN: none) and who set it. */
  take = NaN;
  takeByRisk = false;
  /** After `check` returned true: the raw exit price (before slippage), reason and source. */
  price = NaN;
  reason: ExitReason = "stop-loss";
  byRisk = false;

  /**
   * Computes the levels for a bar.
   * @param entry the trade's entry fill price.
   * @param best the best high of the bars before this one since entry (at least `entry`).
   * @param ageMinutes (bar open time − entry time) / 1 min.
   */
  levels(rules: ExitRules, roi: ExitRules["roi"], risk: RiskLevels | null, entry: number, best: number, ageMinutes: number): void {
    let stop = NaN;
    let reason: ExitReason = "stop-loss";
    let byRisk = false;
    if (rules.stoploss !== null) stop = entry * (1 + rules.stoploss);
    const tr = rules.trailing;
    if (tr !== null && best >= entry * (1 + tr.offset)) {
      const lvl = best * (1 - tr.distance);
      if (!(lvl <= stop)) {
        stop = lvl;
        reason = "trailing-stop";
      }
    }
    let take = NaN;
    let takeByRisk = false;
    const r = roiAt(roi, ageMinutes);
    if (r === r) take = entry * (1 + r);
    if (risk !== null) {
      const rs = risk.stopPrice(entry, best);
      // Ties go to the strategy: the risk manager is credited only when it made a difference.
      if (rs === rs && !(rs <= stop)) {
        stop = rs;
        reason = risk.stopRule(entry, best) === "trailing-stop" ? "trailing-stop" : "stop-loss";
        byRisk = true;
      }
      const rt = risk.takeProfitPrice(entry);
      if (rt === rt && !(rt >= take)) {
        take = rt;
        takeByRisk = true;
      }
    }
    this.stop = stop;
    this.stopReason = reason;
    this.stopByRisk = byRisk;
    this.take = take;
    this.takeByRisk = takeByRisk;
  }

  /** Applies the rule to one bar's open, high and low; true when the trade exits in it. */
  check(open: number, high: number, low: number): boolean {
    const s = this.stop;
    if (s === s && low <= s) {
      this.price = open <= s ? open : s;
      this.reason = this.stopReason;
      this.byRisk = this.stopByRisk;
      return true;
    }
    const t = this.take;
    if (t === t && high >= t) {
      this.price = open >= t ? open : t;
      this.reason = "roi";
      this.byRisk = this.takeByRisk;
      return true;
    }
    return false;
  }
}
