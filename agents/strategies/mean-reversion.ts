// Mean reversion: buy a close at or under the lower Bollinger band with RSI oversold, sell at the middle band.
import { z } from "zod";
import { BollingerBands, RSI } from "trading-signals";
import { IndicatorBank, type VolumeMeanFeed } from "./indicators/bank.ts";
import { BarGuard, commonFields, DEFAULT_EXITS, exitsOf } from "./params.ts";
import type { Candle, ExitRules, Signal, Strategy } from "./strategy.ts";

const shape = {
  /** Bars in the RSI, and its oversold and overbought levels (0..100). */
  rsiPeriod: z.number().int().min(2).default(14),
  oversold: z.number().min(0).max(100).default(30),
  overbought: z.number().min(0).max(100).default(70),
  /** Bars in the Bollinger bands and their width in standard deviations. */
  bbPeriod: z.number().int().min(2).default(20),
  bbStd: z.number().gt(0).finite().default(2),
  /** When true, an entry also needs volume > `volumeFactor` × the mean of the `volumePeriod` bars before. */
  volumeSpike: z.boolean().default(false),
  volumePeriod: z.number().int().min(1).default(20),
  volumeFactor: z.number().min(0).finite().default(1.5),
};

function levels(p: { oversold: number; overbought: number }, ctx: z.RefinementCtx): void {
  if (p.oversold >= p.overbought) ctx.addIssue({ code: "custom", message: "oversold must be below overbought", path: ["oversold"] });
}

/** The indicator parameters alone, as the ensemble nests them. */
export const MeanReversionSignalParams = z.strictObject(shape).superRefine(levels);
export const MeanReversionParams = z.strictObject({ ...shape, ...commonFields(DEFAULT_EXITS) }).superRefine(levels);
export type MeanReversionParams = z.infer<typeof MeanReversionParams>;

/**
 * Fades stretches below the mean. On a bar's close:
 * - "exit" when the close is at or above the middle band or RSI > `overbought`;
 * - else "enter" when the close is at or below the lower band and RSI < `oversold` (and, with
 *   `volumeSpike`, the bar's volume > `volumeFactor` × the mean of the bars before).
 * Exit is tested first: the two overlap only when the bands collapse (a flat window), and then
 * staying out is the safer reading. Defaults: stoploss -5%, ROI 10%.
 */
export class MeanReversion implements Strategy {
  readonly name = "mean-reversion";
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  private readonly rsi: RSI;
  private readonly bands: BollingerBands;
  private readonly bank: IndicatorBank;
  /** Mean volume, only with `volumeSpike`. */
  private readonly volume: VolumeMeanFeed | null;
  private readonly p: MeanReversionParams;
  private readonly guard = new BarGuard();
  private bars = 0;

  /**
   * @param bank where its mean volume lives: a bank of its own by default, or one shared with
   *   other readers of the same bars (see {@link IndicatorBank}). RSI and bands are its own.
   */
  constructor(p: MeanReversionParams, bank: IndicatorBank = new IndicatorBank()) {
    this.p = p;
    this.timeframe = p.timeframe;
    this.exits = exitsOf(p);
    this.rsi = new RSI(p.rsiPeriod);
    this.bands = new BollingerBands(p.bbPeriod, p.bbStd);
    this.bank = bank;
    this.volume = p.volumeSpike ? bank.volumeMean(p.volumePeriod) : null;
    this.startupBars = Math.max(p.rsiPeriod + 1, p.bbPeriod, p.volumeSpike ? p.volumePeriod + 1 : 0);
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    const close = bar.close;
    const rsi = this.rsi.update(close, false);
    const bands = this.bands.update(close, false);
    this.bank.update(bar);
    if (++this.bars < this.startupBars || rsi === null || bands === null) return "hold";
    const p = this.p;
    if (close >= bands.middle || rsi > p.overbought) return "exit";
    if (close <= bands.lower && rsi < p.oversold && (this.volume === null || bar.volume > p.volumeFactor * this.volume.before)) return "enter";
    return "hold";
  }
}
