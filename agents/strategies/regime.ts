// Streaming market-regime labels from ADX, EMA, momentum, ATR and volume: trend, range, volatile, crisis.
import { z } from "zod";
import { ROC, SMA } from "trading-signals";
import { type AdxFeed, type AtrFeed, type EmaFeed, IndicatorBank, type VolumeMeanFeed } from "./indicators/bank.ts";
import { BarGuard } from "./params.ts";
import type { Candle, Regime } from "./strategy.ts";

export const RegimeParams = z
  .strictObject({
    /** Bars in the ADX; a trend needs ADX > `trendThreshold`, a range ADX < `rangeThreshold` (0..100). */
    adxPeriod: z.number().int().min(2).default(14),
    trendThreshold: z.number().min(0).max(100).default(25),
    rangeThreshold: z.number().min(0).max(100).default(20),
    /** Bars in the EMA of closes that a trend's closes must be above (up) or below (down). */
    emaPeriod: z.number().int().min(1).default(50),
    /** Momentum: rate of change of the close over this many bars, > 0 up, < 0 down. */
    rocPeriod: z.number().int().min(1).default(10),
    /** Volatile when ATR / close > `volatileAtrPct` (a fraction per bar) or ATR > `volatileAtrFactor` × the mean ATR of the `atrAveragePeriod` bars before. */
    atrPeriod: z.number().int().min(1).default(14),
    atrAveragePeriod: z.number().int().min(1).default(100),
    volatileAtrPct: z.number().gt(0).finite().default(0.03),
    volatileAtrFactor: z.number().gt(0).finite().default(1.5),
    /** Crisis when volume > `crisisVolumeFactor` × the mean volume of the `volumePeriod` bars before... */
    volumePeriod: z.number().int().min(1).default(20),
    crisisVolumeFactor: z.number().gt(0).finite().default(5),
    /** ...or the close moved more than `crisisMove` (a fraction) either way over `crisisWindow` bars. */
    crisisMove: z.number().gt(0).finite().default(0.1),
    crisisWindow: z.number().int().min(1).default(5),
    /** Bars the crisis label is kept after its last trigger (0 = only on trigger bars). */
    crisisHoldBars: z.number().int().min(0).default(5),
  })
  .refine((p) => p.rangeThreshold <= p.trendThreshold, { message: "rangeThreshold must not exceed trendThreshold", path: ["rangeThreshold"] });
export type RegimeParams = z.infer<typeof RegimeParams>;

/**
 * Labels each closed bar with a market regime. Rules, first match wins:
 * 1. "warming-up" until every indicator has its window (`startupBars`);
 * 2. "crisis": volume > `crisisVolumeFactor` × its mean over the bars before, or
 *    |close / close `crisisWindow` bars ago − 1| > `crisisMove`; held `crisisHoldBars` more bars;
 * 3. "volatile": ATR / close > `volatileAtrPct`, or ATR > `volatileAtrFactor` × its mean
 *    over the `atrAveragePeriod` bars before;
 * 4. "trending-up": ADX > `trendThreshold`, close > EMA, rate of change > 0;
 *    "trending-down": ADX > `trendThreshold`, close < EMA, rate of change < 0;
 * 5. "ranging": ADX < `rangeThreshold` (low volatility is implied: rule 3 did not fire);
 * 6. otherwise (ADX between the thresholds, or a strong ADX whose close and momentum
 *    disagree) the previous label is kept if it was a trend or "ranging", else "ranging".
 *    This hysteresis stops the label flickering while ADX hovers around one threshold: a
 *    trend starts above 25 and lasts until ADX drops below 20 or another rule fires.
 */
export class RegimeDetector {
  readonly startupBars: number;
  private readonly p: RegimeParams;
  private readonly bank: IndicatorBank;
  private readonly adx: AdxFeed;
  private readonly ema: EmaFeed;
  private readonly roc: ROC;
  private readonly atr: AtrFeed;
  /** Mean of the last `atrAveragePeriod` ATRs, and that mean as of the previous bar (NaN until it has them). */
  private readonly atrMean: SMA;
  private atrAverage = NaN;
  private readonly volume: VolumeMeanFeed;
  private readonly move: ROC;
  private readonly guard = new BarGuard();
  private bars = 0;
  private crisisLeft = 0;
  private label: Regime = "warming-up";

  /**
   * @param bank where its ADX, EMA, ATR and mean volume live: a bank of its own by default, or
   *   one shared with other readers of the same bars (see {@link IndicatorBank}).
   */
  constructor(p: RegimeParams, bank: IndicatorBank = new IndicatorBank()) {
    this.p = p;
    this.bank = bank;
    this.adx = bank.adx(p.adxPeriod);
    this.ema = bank.ema(p.emaPeriod);
    this.roc = new ROC(p.rocPeriod);
    this.atr = bank.atr(p.atrPeriod);
    this.atrMean = new SMA(p.atrAveragePeriod);
    this.volume = bank.volumeMean(p.volumePeriod);
    this.move = new ROC(p.crisisWindow);
    this.startupBars = Math.max(
      2 * p.adxPeriod - 1,
      p.emaPeriod,
      p.rocPeriod + 1,
      p.atrPeriod + p.atrAveragePeriod,
      p.volumePeriod + 1,
      p.crisisWindow + 1,
    );
  }

  /** The label as of the latest bar's close. */
  get current(): Regime {
    return this.label;
  }

  /** The latest ADX reading (0..100, NaN while warming up), for charts and tests. */
  get adxValue(): number {
    return this.adx.value;
  }

  /**
   * Consumes the next closed bar and returns its label.
   * @throws RangeError when bar times do not increase or a value is not finite.
   */
  update(bar: Candle): Regime {
    this.guard.check(bar);
    const p = this.p;
    const close = bar.close;
    this.bank.update(bar);
    const roc = this.roc.update(close, false) ?? NaN;
    const atr = this.atr.value;
    const atrBefore = this.atrAverage;
    if (atr === atr) this.atrAverage = this.atrMean.update(atr, false) ?? NaN;
    const move = Math.abs(this.move.update(close, false) ?? NaN);
    if (++this.bars < this.startupBars) return this.label;
    const adx = this.adx.value;
    const ema = this.ema.value;
    const volumeBefore = this.volume.before;

    if (bar.volume > p.crisisVolumeFactor * volumeBefore || move > p.crisisMove) this.crisisLeft = p.crisisHoldBars + 1;
    if (this.crisisLeft > 0) {
      this.crisisLeft--;
      return (this.label = "crisis");
    }
    if (atr / close > p.volatileAtrPct || atr > p.volatileAtrFactor * atrBefore) return (this.label = "volatile");
    if (adx > p.trendThreshold) {
      if (close > ema && roc > 0) return (this.label = "trending-up");
      if (close < ema && roc < 0) return (this.label = "trending-down");
    }
    if (adx < p.rangeThreshold) return (this.label = "ranging");
    const prev = this.label;
    return (this.label = prev === "trending-up" || prev === "trending-down" ? prev : "ranging");
  }
}
