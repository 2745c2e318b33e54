// Trend following: EMA 9/21 above with the 21/50 trend up, a strong ADX and above-average volume.
import { z } from "zod";
import { EMA, SMA } from "trading-signals";
import { Adx } from "./indicators/candle-indicators.ts";
import { BarGuard, commonFields, DEFAULT_EXITS, exitsOf } from "./params.ts";
import type { Candle, ExitRules, Signal, Strategy } from "./strategy.ts";

const shape = {
  /** Bars in the fast, middle and slow EMAs of closes (the 9/21 and 21/50 pairs). */
  fast: z.number().int().min(1).default(9),
  mid: z.number().int().min(2).default(21),
  slow: z.number().int().min(3).default(50),
  /** Bars in the ADX and the ADX level (0..100) above which a trend counts as strong. */
  adxPeriod: z.number().int().min(2).default(14),
  adxThreshold: z.number().min(0).max(100).default(25),
  /** Volume must exceed `volumeFactor` × the mean volume of the `volumePeriod` bars before. */
  volumePeriod: z.number().int().min(1).default(20),
  volumeFactor: z.number().min(0).finite().default(1),
};

function ordered(p: { fast: number; mid: number; slow: number }, ctx: z.RefinementCtx): void {
  if (p.fast >= p.mid) ctx.addIssue({ code: "custom", message: "fast must be shorter than mid", path: ["fast"] });
  else if (p.mid >= p.slow) ctx.addIssue({ code: "custom", message: "mid must be shorter than slow", path: ["mid"] });
}

/** The indicator parameters alone, as the ensemble nests them. */
export const TrendFollowingSignalParams = z.strictObject(shape).superRefine(ordered);
export const TrendFollowingParams = z.strictObject({ ...shape, ...commonFields(DEFAULT_EXITS) }).superRefine(ordered);
export type TrendFollowingParams = z.infer<typeof TrendFollowingParams>;

/**
 * Rides established up-trends. On a bar's close:
 * - "enter" when EMA(fast) > EMA(mid) (the short-term crossover is up), EMA(mid) > EMA(slow)
 *   (the trend is up), ADX > `adxThreshold` and the bar's volume > `volumeFactor` × the mean
 *   volume of the `volumePeriod` bars before it;
 * - "exit" when EMA(fast) < EMA(mid) (from the down-cross on) or EMA(mid) < EMA(slow) (trend lost).
 * Conditions are states, not one-bar events, so after a stop-out it re-enters on the next
 * confirming bar, and inside the ensemble it can take over a trend already under way.
 * Exact ties count as neither. Defaults: stoploss -5%, ROI 10%.
 */
export class TrendFollowing implements Strategy {
  readonly name = "trend-following";
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  private readonly fast: EMA;
  private readonly mid: EMA;
  private readonly slow: EMA;
  private readonly adx: Adx;
  private readonly volume: SMA;
  /** Mean volume of the `volumePeriod` bars up to the previous one; NaN until there are that many. */
  private avgVolume = NaN;
  private readonly adxThreshold: number;
  private readonly volumeFactor: number;
  private readonly guard = new BarGuard();
  private bars = 0;

  constructor(p: TrendFollowingParams) {
    this.timeframe = p.timeframe;
    this.exits = exitsOf(p);
    this.fast = new EMA(p.fast);
    this.mid = new EMA(p.mid);
    this.slow = new EMA(p.slow);
    this.adx = new Adx(p.adxPeriod);
    this.volume = new SMA(p.volumePeriod);
    this.adxThreshold = p.adxThreshold;
    this.volumeFactor = p.volumeFactor;
    this.startupBars = Math.max(p.slow, 2 * p.adxPeriod - 1, p.volumePeriod + 1);
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    const close = bar.close;
    // EMAs return their running value from the first bar on; it is only read once warm.
    const f = this.fast.update(close, false);
    const m = this.mid.update(close, false);
    const s = this.slow.update(close, false);
    const adx = this.adx.update(bar) ?? NaN;
    const avgVolume = this.avgVolume; // the bars before this one
    this.avgVolume = this.volume.update(bar.volume, false) ?? NaN;
    if (++this.bars < this.startupBars) return "hold";
    if (f < m || m < s) return "exit";
    if (f > m && m > s && adx > this.adxThreshold && bar.volume > this.volumeFactor * avgVolume) return "enter";
    return "hold";
  }
}
