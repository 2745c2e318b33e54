// The ensemble bot: every bar goes to all member strategies and the regime detector; the regime picks whose signal counts.
import { z } from "zod";
import { Breakout, BreakoutSignalParams } from "./breakout.ts";
import { IndicatorBank } from "./indicators/bank.ts";
import { MeanReversion, MeanReversionSignalParams } from "./mean-reversion.ts";
import { BarGuard, commonFields, DEFAULT_EXITS, exitsOf } from "./params.ts";
import { RegimeDetector, RegimeParams } from "./regime.ts";
import type { Candle, ExitRules, Regime, Signal, Strategy } from "./strategy.ts";
import { TrendFollowing, TrendFollowingSignalParams } from "./trend-following.ts";

export const EnsembleParams = z.strictObject({
  /** Indicator params of each member and of the regime detector; each defaults to its own defaults. */
  trend: TrendFollowingSignalParams.prefault({}),
  meanReversion: MeanReversionSignalParams.prefault({}),
  breakout: BreakoutSignalParams.prefault({}),
  regime: RegimeParams.prefault({}),
  ...commonFields(DEFAULT_EXITS),
});
export type EnsembleParams = z.infer<typeof EnsembleParams>;

/**
 * Regime-switching ensemble. Every bar updates trend following, mean reversion, breakout and
 * the regime detector (so each member's indicators are warm whenever it is called on), then:
 * "trending-up" → trend following's signal; "ranging" → mean reversion's; "volatile" →
 * breakout's; "trending-down" and "crisis" → "exit"; "warming-up" → "hold".
 * A position opened under one regime is kept across a switch until the member now in charge
 * says "exit" (or the runner's exits fire). The members' own exits are not used: the
 * ensemble's `exits` (default stoploss -5%, ROI 10%) apply to every trade.
 * `regime()` returns the label of the latest bar, for the runner to record.
 * The members and the detector share one {@link IndicatorBank}, so an indicator several of
 * them read (ADX, ATR, EMA, mean volume of the same period) is computed once per bar; each
 * gets the values it would compute on its own, so its signals are its standalone signals.
 */
export class Ensemble implements Strategy {
  readonly name = "ensemble";
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  private readonly trend: TrendFollowing;
  private readonly meanReversion: MeanReversion;
  private readonly breakout: Breakout;
  private readonly detector: RegimeDetector;
  private readonly bank = new IndicatorBank();
  private readonly guard = new BarGuard();

  constructor(p: EnsembleParams) {
    this.timeframe = p.timeframe;
    this.exits = exitsOf(p);
    const common = { timeframe: p.timeframe, stoploss: null, roi: [], trailing: null };
    this.trend = new TrendFollowing({ ...p.trend, ...common }, this.bank);
    this.meanReversion = new MeanReversion({ ...p.meanReversion, ...common }, this.bank);
    this.breakout = new Breakout({ ...p.breakout, ...common }, this.bank);
    this.detector = new RegimeDetector(p.regime, this.bank);
    this.startupBars = Math.max(this.trend.startupBars, this.meanReversion.startupBars, this.breakout.startupBars, this.detector.startupBars);
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    this.bank.update(bar); // once for all members; their own calls for this bar do nothing
    const trend = this.trend.update(bar);
    const meanReversion = this.meanReversion.update(bar);
    const breakout = this.breakout.update(bar);
    switch (this.detector.update(bar)) {
      case "trending-up":
        return trend;
      case "ranging":
        return meanReversion;
      case "volatile":
        return breakout;
      case "trending-down":
      case "crisis":
        return "exit";
      case "warming-up":
        return "hold";
    }
  }

  regime(): Regime {
    return this.detector.current;
  }
}
