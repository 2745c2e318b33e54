// trading-signals' candle-input indicators (ATR, ADX), fed candle objects they own.
//
// trading-signals keeps a reference to the candle object it was given instead of copying its
// fields (8.3.0's dist source): TR and DX hold the latest two candles (the previous one is read
// on the next update, the one before it only by `replace`). The runner reuses one Candle
// object for every bar, so handing that object over would overwrite the library's history.
// Each wrapper here copies high, low and close into a ring of its own objects, one more than
// the library can still be holding, so an object is rewritten only after the library has let
// go of it. Results are trading-signals' own, bit for bit (ADX: one documented exception).
import { DX, type HighLowClose, WSMA, ATR } from "trading-signals";

/** Candles TR and DX (so ATR and ADX) hold a reference to: the latest and the one before it. */
const TR_DX_HELD = 2;

/** A fixed ring of `{high, low, close}` objects, handed out in turn. */
export class CandleRing {
  readonly size: number;
  private readonly slots: HighLowClose[];
  private next = 0;

  /** @throws RangeError unless `size` is a positive integer. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`CandleRing: size ${size} must be a positive integer`);
    this.size = size;
    this.slots = Array.from({ length: size }, () => ({ high: 0, low: 0, close: 0 }));
  }

  /** Copies the bar's high, low and close into the oldest slot and returns that slot. */
  copy(bar: HighLowClose): HighLowClose {
    const slot = this.slots[this.next];
    this.next = this.next + 1 === this.size ? 0 : this.next + 1;
    slot.high = bar.high;
    slot.low = bar.low;
    slot.close = bar.close;
    return slot;
  }
}

/**
 * trading-signals' `ATR(period)`: true range Wilder-smoothed (the first `period` true ranges
 * averaged, the first bar's being its high − low). Price units; null until `period` bars.
 */
export class Atr {
  readonly period: number;
  private readonly atr: ATR;
  private readonly ring = new CandleRing(TR_DX_HELD + 1);

  constructor(period: number) {
    this.period = period;
    this.atr = new ATR(period);
  }

  /** Adds the next closed bar (its fields are copied; the object is not kept). */
  update(bar: HighLowClose): number | null {
    return this.atr.update(this.ring.copy(bar), false);
  }
}

/**
 * Average directional index, 0..100: trading-signals' `DX(period)` Wilder-smoothed over
 * `period` values by its `WSMA`, which is what its `ADX` does, and bit for bit equal to it
 * with one deliberate difference. Where the ATR is 0 (no bar has had any range yet), DX is
 * 0/0 = NaN in trading-signals, and a NaN fed to the smoothing would make ADX NaN for good;
 * here that DX counts as 0, "no directional movement", the value trading-signals itself
 * gives when both directional indicators are 0. Null until `2·period − 1` bars.
 */
export class Adx {
  readonly period: number;
  private readonly dx: DX;
  private readonly smooth: WSMA;
  private readonly ring = new CandleRing(TR_DX_HELD + 1);

  constructor(period: number) {
    this.period = period;
    this.dx = new DX(period);
    this.smooth = new WSMA(period);
  }

  /** Adds the next closed bar (its fields are copied; the object is not kept). */
  update(bar: HighLowClose): number | null {
    const dx = this.dx.update(this.ring.copy(bar), false);
    if (dx === null) return null;
    return this.smooth.update(dx === dx ? dx : 0, false);
  }
}
