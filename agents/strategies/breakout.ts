// Breakout: buy a close above the prior N-bar high on a volume surge; sell below support or an ATR trail.
import { z } from "zod";
import { type AtrFeed, IndicatorBank, type VolumeMeanFeed } from "./indicators/bank.ts";
import { RollingExtreme } from "./indicators/window.ts";
import { BarGuard, commonFields, DEFAULT_EXITS, exitsOf } from "./params.ts";
import type { Candle, ExitRules, Signal, Strategy } from "./strategy.ts";

const shape = {
  /** Resistance: the highest high of this many bars before the current one. */
  resistanceBars: z.number().int().min(1).default(20),
  /** Support: the lowest low of this many bars before the current one. */
  supportBars: z.number().int().min(1).default(10),
  /** Entry needs volume > `volumeFactor` × the mean volume of the `volumePeriod` bars before. */
  volumePeriod: z.number().int().min(1).default(20),
  volumeFactor: z.number().min(0).finite().default(1.5),
  /** ATR trail (a chandelier exit): highest high of `trailBars` bars (current included) − `atrMultiplier` × ATR(`atrPeriod`). */
  atrPeriod: z.number().int().min(1).default(14),
  atrMultiplier: z.number().gt(0).finite().default(3),
  trailBars: z.number().int().min(1).default(22),
};

/** The indicator parameters alone, as the ensemble nests them. */
export const BreakoutSignalParams = z.strictObject(shape);
export const BreakoutParams = z.strictObject({ ...shape, ...commonFields(DEFAULT_EXITS) });
export type BreakoutParams = z.infer<typeof BreakoutParams>;

/**
 * Trades range breaks. On a bar's close:
 * - "exit" when the close is below support (lowest low of the `supportBars` bars before) or
 *   below the ATR trail (highest high of the last `trailBars` bars − `atrMultiplier` × ATR);
 * - else "enter" when the close is above resistance (highest high of the `resistanceBars`
 *   bars before, the current bar excluded so a break is possible) with volume >
 *   `volumeFactor` × the mean volume of the `volumePeriod` bars before.
 * The trail hangs from recent highs rather than from the entry, so the strategy needs no
 * idea of whether the runner actually filled it. Defaults: stoploss -5%, ROI 10%.
 */
export class Breakout implements Strategy {
  readonly name = "breakout";
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  /** Highest highs (resistance, trail) and lowest lows (support) of their windows, current bar included. */
  private readonly resistance: RollingExtreme;
  private readonly support: RollingExtreme;
  private readonly trailHigh: RollingExtreme;
  private readonly bank: IndicatorBank;
  private readonly atr: AtrFeed;
  private readonly volume: VolumeMeanFeed;
  /** The ATR trail as of the latest bar's close. */
  private trailLevel = NaN;
  private readonly volumeFactor: number;
  private readonly atrMultiplier: number;
  private readonly guard = new BarGuard();
  private bars = 0;

  /**
   * @param bank where its ATR and mean volume live: a bank of its own by default, or one shared
   *   with other readers of the same bars (see {@link IndicatorBank}).
   */
  constructor(p: BreakoutParams, bank: IndicatorBank = new IndicatorBank()) {
    this.timeframe = p.timeframe;
    this.exits = exitsOf(p);
    this.resistance = new RollingExtreme(p.resistanceBars, "max");
    this.support = new RollingExtreme(p.supportBars, "min");
    this.trailHigh = new RollingExtreme(p.trailBars, "max");
    this.bank = bank;
    this.atr = bank.atr(p.atrPeriod);
    this.volume = bank.volumeMean(p.volumePeriod);
    this.volumeFactor = p.volumeFactor;
    this.atrMultiplier = p.atrMultiplier;
    this.startupBars = Math.max(p.resistanceBars + 1, p.supportBars + 1, p.volumePeriod + 1, p.atrPeriod, p.trailBars);
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    const close = bar.close;
    // Levels of the bars before this one, read before this bar joins the windows.
    const resistance = this.resistance.value;
    const support = this.support.value;
    this.resistance.push(bar.high);
    this.support.push(bar.low);
    this.trailHigh.push(bar.high);
    this.bank.update(bar);
    this.trailLevel = this.trailHigh.value - this.atrMultiplier * this.atr.value;
    if (++this.bars < this.startupBars) return "hold";
    if (close < support || close < this.trailLevel) return "exit";
    if (close > resistance && bar.volume > this.volumeFactor * this.volume.before) return "enter";
    return "hold";
  }

  /** Current ATR trail level in quote units (NaN while warming up), for charts and tests. */
  get trail(): number {
    return this.trailLevel;
  }
}
