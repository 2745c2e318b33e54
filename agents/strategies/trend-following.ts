// Trend following: EMA 9/21 above with the 21/50 trend up, a strong ADX and above-average volume.
import { z } from "zod";
import { type AdxFeed, type EmaFeed, IndicatorBank, type VolumeMeanFeed } from "./indicators/bank.ts";
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
  private readonly bank: IndicatorBank;
  private readonly fast: EmaFeed;
  private readonly mid: EmaFeed;
  private readonly slow: EmaFeed;
  private readonly adx: AdxFeed;
  private readonly volume: VolumeMeanFeed;
  private readonly adxThreshold: number;
  private readonly volumeFactor: number;
  private readonly guard = new BarGuard();
  private bars = 0;

  /**
   * @param bank where its EMAs, ADX and mean volume live: a bank of its own by default, or one
   *   shared with other readers of the same bars (see {@link IndicatorBank}).
   */
  constructor(p: TrendFollowingParams, bank: IndicatorBank = new IndicatorBank()) {
    this.timeframe = p.timeframe;
    this.exits = exitsOf(p);
    this.bank = bank;
    this.fast = bank.ema(p.fast);
    this.mid = bank.ema(p.mid);
    this.slow = bank.ema(p.slow);
    this.adx = bank.adx(p.adxPeriod);
    this.volume = bank.volumeMean(p.volumePeriod);
    this.adxThreshold = p.adxThreshold;
    this.volumeFactor = p.volumeFactor;
    this.startupBars = Math.max(p.slow, 2 * p.adxPeriod - 1, p.volumePeriod + 1);
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    this.bank.update(bar);
    if (++this.bars < this.startupBars) return "hold";
    // EMAs have a running value from the first bar on; it is only read once warm.
    const f = this.fast.value;
    const m = this.mid.value;
    const s = this.slow.value;
    const adx = this.adx.value;
    const avgVolume = this.volume.before; // the bars before this one
    if (f < m || m < s) return "exit";
    if (f > m && m > s && adx > this.adxThreshold && bar.volume > this.volumeFactor * avgVolume) return "enter";
    return "hold";
  }
}
