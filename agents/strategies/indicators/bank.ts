// Indicators shared by the strategies that read them, keyed by (kind, period) and updated once per bar.
//
// The ensemble runs trend following, mean reversion, breakout and the regime detector on the
// same bars; each of them wants an ADX(14), an ATR(14), an EMA(50) or the mean volume of the
// last 20 bars. Computed per reader, the same numbers would be computed up to four times a bar.
// A bank holds one of each (kind, period) asked for; the ensemble hands one bank to all its
// members, a strategy on its own makes its own. Every reader gets the same numbers it would
// compute alone, since each indicator sees exactly the same bars in the same order.
import { EMA, SMA } from "trading-signals";
import type { Candle } from "../strategy.ts";
import { Adx, Atr } from "./candle-indicators.ts";

/** ADX(period) of the bars (see {@link Adx}); `value` NaN until `2·period − 1` bars. */
export class AdxFeed {
  readonly period: number;
  value = NaN;
  private readonly adx: Adx;

  constructor(period: number) {
    this.period = period;
    this.adx = new Adx(period);
  }

  update(bar: Candle): void {
    this.value = this.adx.update(bar) ?? NaN;
  }
}

/** trading-signals' ATR(period) of the bars (see {@link Atr}); `value` NaN until `period` bars. */
export class AtrFeed {
  readonly period: number;
  value = NaN;
  private readonly atr: Atr;

  constructor(period: number) {
    this.period = period;
    this.atr = new Atr(period);
  }

  update(bar: Candle): void {
    this.value = this.atr.update(bar) ?? NaN;
  }
}

/**
 * trading-signals' EMA(period) of the closes. `value` is its running value from the first bar
 * on (seeded with the first close), meaningful once `period` bars are in.
 */
export class EmaFeed {
  readonly period: number;
  value = NaN;
  private readonly ema: EMA;

  constructor(period: number) {
    this.period = period;
    this.ema = new EMA(period);
  }

  update(bar: Candle): void {
    this.value = this.ema.update(bar.close, false);
  }
}

/**
 * Mean volume of the last `period` bars: trading-signals' SMA(period) of the volumes. `value`
 * includes the latest bar; `before` is the mean as of the bar before it, what "volume above
 * its average" rules compare a bar's volume with. Each NaN until it has its `period` bars.
 * Not a running sum: one (plain or exact) differs from this SMA's re-summed mean in the last
 * bit, and on a flat stretch of equal volumes that flips trend following's `volume > 1 × mean`.
 */
export class VolumeMeanFeed {
  readonly period: number;
  value = NaN;
  before = NaN;
  private readonly sma: SMA;

  constructor(period: number) {
    this.period = period;
    this.sma = new SMA(period);
  }

  update(bar: Candle): void {
    this.before = this.value;
    this.value = this.sma.update(bar.volume, false) ?? NaN;
  }
}

/**
 * Shared indicators, one per (kind, period), each advanced once per bar by {@link update}.
 * Readers ask for theirs when they are built (asking twice for the same kind and period gives
 * the same feed) and read its fields after each `update`. Every reader may call `update` with
 * the bar it is given: the first call for a bar time advances the indicators, later calls
 * with the same time do nothing. The bank checks nothing about the bars: its readers' guards
 * do, before they call `update`.
 */
export class IndicatorBank {
  private readonly adxs: AdxFeed[] = [];
  private readonly atrs: AtrFeed[] = [];
  private readonly emas: EmaFeed[] = [];
  private readonly volumeMeans: VolumeMeanFeed[] = [];
  private readonly byKey = new Map<string, AdxFeed | AtrFeed | EmaFeed | VolumeMeanFeed>();
  /** Time of the bar last fed; -Infinity before the first. */
  private last = -Infinity;

  /** ADX(period). @throws Error when asked for a new feed after bars were fed (it would start late). */
  adx(period: number): AdxFeed {
    return this.feed(`adx:${period}`, this.adxs, () => new AdxFeed(period));
  }

  /** ATR(period). @throws Error when asked for a new feed after bars were fed. */
  atr(period: number): AtrFeed {
    return this.feed(`atr:${period}`, this.atrs, () => new AtrFeed(period));
  }

  /** EMA(period) of the closes. @throws Error when asked for a new feed after bars were fed. */
  ema(period: number): EmaFeed {
    return this.feed(`ema:${period}`, this.emas, () => new EmaFeed(period));
  }

  /** Mean volume of the last `period` bars. @throws Error when asked for a new feed after bars were fed. */
  volumeMean(period: number): VolumeMeanFeed {
    return this.feed(`volume-mean:${period}`, this.volumeMeans, () => new VolumeMeanFeed(period));
  }

  /** Advances every feed by `bar`, unless a bar with this time was fed already. */
  update(bar: Candle): void {
    if (bar.time === this.last) return;
    this.last = bar.time;
    for (const f of this.adxs) f.update(bar);
    for (const f of this.atrs) f.update(bar);
    for (const f of this.emas) f.update(bar);
    for (const f of this.volumeMeans) f.update(bar);
  }

  private feed<F extends AdxFeed | AtrFeed | EmaFeed | VolumeMeanFeed>(key: string, list: F[], make: () => F): F {
    const known = this.byKey.get(key);
    if (known !== undefined) return known as F;
    if (this.last !== -Infinity) throw new Error(`IndicatorBank: ${key} asked for after bars were fed; it would start late`);
    const f = make();
    list.push(f);
    this.byKey.set(key, f);
    return f;
  }
}
