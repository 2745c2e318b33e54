// Trading costs on bars (slippage, commission) and all-in sizing, in decimal quote: the runner's arithmetic, shared by every bar fill.

/**
 * Costs of trading on history. Fractions, not percent: 0.001 is 0.1%.
 * - `slippage` s: every buy pays price·(1 + s), every sell gets price·(1 − s), whatever the
 *   reason of the fill (signal, stop, ROI, circuit breaker, end of data).
 * - `commission` c: charged on both sides, c × traded value (size × fill price), in quote.
 */
export interface FillModel {
  readonly commission: number;
  readonly slippage: number;
}

/** Binance spot's taker fee (0.1%) and 5 bps of slippage. */
export const DEFAULT_FILL: FillModel = Object.freeze({ commission: 0.001, slippage: 0.0005 });

/** What a buy at `price` really pays per unit, quote. */
export function buyPrice(fill: FillModel, price: number): number {
  return price * (1 + fill.slippage);
}

/** What a sell at `price` really gets per unit, quote. */
export function sellPrice(fill: FillModel, price: number): number {
  return price * (1 - fill.slippage);
}

/**
 * The largest size (base units) that `budget` quote buys at `fillPrice` once commission is
 * paid on it: budget / (fillPrice · (1 + c)). All-in sizing with risk off uses the whole cash.
 */
export function affordableSize(budget: number, fillPrice: number, commission: number): number {
  return budget / (fillPrice * (1 + commission));
}

/**
 * Checks a fill model from outside (CLI flags, task files).
 * @throws RangeError naming the field and value unless 0 ≤ value < 1 and finite.
 */
export function checkFillModel(fill: FillModel): FillModel {
  for (const k of ["commission", "slippage"] as const) {
    const v = fill[k];
    if (!(Number.isFinite(v) && v >= 0 && v < 1)) throw new RangeError(`${k}: ${v} must be a fraction with 0 <= value < 1 (0.001 = 0.1%)`);
  }
  return fill;
}
