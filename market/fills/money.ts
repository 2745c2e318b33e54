// Integer settlement of bar fills: base in units of the lot's last decimal, quote in micro-units or finer, exact.
//
// A venue keeps balances in whole smallest units; a fill on bars must too, though its price (an
// open with slippage) is off the tick grid. The rule: the value of a fill is size × price
// rounded to the quote unit against the trader (a buyer pays it rounded up, a seller gets it
// rounded down); commission is value × rate rounded down, as the matching engine's fees are
// (market/instrument.ts feeOf). Every product is computed exactly from the decimals the numbers
// print as (decimal.ts), so the same inputs settle to the same units on any machine.
import { checkFillModel, type FillModel } from "./costs.ts";
import { ceilDiv, decimalOf, decimalsOf, DecimalUnits, floorDiv, pow10, type Decimal } from "./decimal.ts";

/** Quote units are at least this fine: 10^-6 of a coin (micro-USDT). */
const MIN_QUOTE_DECIMALS = 6;

/**
 * The integer money of one instrument on bars: unit systems derived from the tick and lot,
 * and the value, commission and affordable size of a fill in those units.
 */
export class BarMoney {
  /** Base units: 10^-(decimals of the lot), e.g. satoshis for a 1e-8 lot. */
  readonly base: DecimalUnits;
  /** Quote units: 10^-max(6, decimals of the tick), e.g. micro-USDT for a 0.01 tick. */
  readonly quote: DecimalUnits;
  /** Price units: 10^-(decimals of the tick). */
  readonly price: DecimalUnits;
  /** Base units in one lot; price units in one tick. */
  readonly lotUnits: number;
  readonly tickUnits: number;
  readonly fill: FillModel;
  private readonly rate: Decimal;
  private readonly slip: Decimal;

  /**
   * @param tickSize price grid, quote; `lotSize` amount grid, base (each at most 15 decimals).
   * @throws RangeError naming the field and value for a step that is not positive or too fine,
   *   or a bad fill model.
   */
  constructor(tickSize: number, lotSize: number, fill: FillModel) {
    for (const [k, v] of [["tickSize", tickSize], ["lotSize", lotSize]] as const) {
      if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${k}: ${v} must be a positive number`);
      if (decimalsOf(v) > 15) throw new RangeError(`${k}: ${v} has more than 15 decimals`);
    }
    this.fill = checkFillModel(fill);
    const tick = decimalOf(tickSize);
    const lot = decimalOf(lotSize);
    this.price = new DecimalUnits(tick.d);
    this.base = new DecimalUnits(lot.d);
    this.quote = new DecimalUnits(Math.max(MIN_QUOTE_DECIMALS, tick.d));
    this.tickUnits = Number(tick.n);
    this.lotUnits = Number(lot.n);
    this.rate = decimalOf(fill.commission);
    this.slip = decimalOf(fill.slippage);
  }

  /** Price units of `price` when it is a whole number of ticks, else NaN. */
  ticks(price: number): number {
    const k = this.price.exact(price);
    return k === k && k % this.tickUnits === 0 ? k : NaN;
  }

  /** Base units of `amount` when it is a whole number of lots, else NaN. */
  lots(amount: number): number {
    const k = this.base.exact(amount);
    return k === k && k % this.lotUnits === 0 ? k : NaN;
  }

  /**
   * Value of `qty` base units at `price` (quote per base coin), in quote units: rounded up
   * when `up` (what a buyer pays), down otherwise (what a seller gets).
   */
  value(qty: number, price: number, up: boolean): number {
    const p = decimalOf(price);
    const num = BigInt(qty) * p.n * this.quote.perCoinBig;
    const den = this.base.perCoinBig * pow10(p.d);
    return Number(up ? ceilDiv(num, den) : floorDiv(num, den));
  }

  /** Commission on a value in quote units, rounded down. */
  fee(value: number): number {
    return Number(floorDiv(BigInt(value) * this.rate.n, pow10(this.rate.d)));
  }

  /** What buying `qty` base units at `price` takes from the buyer: value rounded up plus commission. */
  buyTotal(qty: number, price: number): number {
    const v = this.value(qty, price, true);
    return v + this.fee(v);
  }

  /**
   * The most base units, in whole lots, that `budget` quote units buy at `price` with
   * commission: the largest q with buyTotal(q, price) ≤ budget (0 when not one lot).
   */
  affordable(budget: number, price: number): number {
    if (!(budget > 0)) return 0;
    const L = this.lotUnits;
    const perLot = (L / this.base.perCoin) * price * (1 + this.fill.commission) * this.quote.perCoin;
    // A float first guess, then exact steps: buyTotal rises with q, so the answer is where it crosses.
    let lots = Math.max(0, Math.floor(budget / perLot));
    while (lots > 0 && this.buyTotal(lots * L, price) > budget) lots--;
    while (this.buyTotal((lots + 1) * L, price) <= budget) lots++;
    return lots * L;
  }

  /**
   * A one-level book around a close, in price units: the bid rounds close·(1 − slippage) down
   * to the tick, the ask rounds close·(1 + slippage) up, and the ask is at least a tick above.
   */
  book(close: number): { bid: number; ask: number } {
    const c = decimalOf(close);
    const one = pow10(this.slip.d);
    const den = pow10(c.d + this.slip.d) * BigInt(this.tickUnits);
    const scale = this.price.perCoinBig;
    const bidTicks = floorDiv(c.n * (one - this.slip.n) * scale, den);
    let askTicks = ceilDiv(c.n * (one + this.slip.n) * scale, den);
    if (askTicks <= bidTicks) askTicks = bidTicks + 1n;
    return { bid: Number(bidTicks) * this.tickUnits, ask: Number(askTicks) * this.tickUnits };
  }
}
