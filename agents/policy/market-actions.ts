// A market policy's discrete actions: 0 holds, 1..k buy and k+1..2k sell a fraction of equity; the order each one means.

/** The market rules an order is sized by (the port's `markets[symbol]` fields). */
export interface SizingRules {
  /** Lot size, base coins. */
  readonly lot: number;
  /** Taker fee rate (0.001 = 0.1%). */
  readonly taker: number;
  /** Smallest order notional, quote. */
  readonly minCost: number;
}

/** What the account and the book show at the decision. */
export interface SizingState {
  readonly bid: number;
  readonly ask: number;
  readonly base: number;
  readonly quote: number;
  readonly equity: number;
}

/** Actions of a policy with `sizes.length` size choices: hold, then buy and sell at each size. */
export function marketActionCount(sizes: readonly number[]): number {
  return 1 + 2 * sizes.length;
}

/** A market order to send: side and whole lots (> 0). */
export interface MarketOrder {
  readonly side: "buy" | "sell";
  readonly lots: number;
}

/**
 * The market order action `a` means, or undefined (hold, or nothing to trade). A buy spends
 * `sizes[i]` × equity at the ask, at most the quote held (less room for the taker fee); a sell
 * sells `sizes[i]` × equity worth at the bid, at most the base held (spot: no short). An order
 * under the venue's minimum notional is not sent.
 */
export function marketOrderFor(a: number, sizes: readonly number[], s: SizingState, rules: SizingRules): MarketOrder | undefined {
  const k = sizes.length;
  if (a <= 0 || a > 2 * k || !(s.equity > 0)) return undefined;
  if (a <= k) {
    if (!(s.ask > 0)) return undefined;
    const spend = Math.min(sizes[a - 1] * s.equity, s.quote / (1 + 2 * rules.taker));
    const lots = Math.floor(spend / s.ask / rules.lot);
    return lots >= 1 && lots * rules.lot * s.ask >= rules.minCost ? { side: "buy", lots } : undefined;
  }
  if (!(s.bid > 0)) return undefined;
  const amount = Math.min((sizes[a - k - 1] * s.equity) / s.bid, s.base);
  // A hair of tolerance: a full sale of what is held must not lose its last lot to rounding.
  const lots = Math.floor(amount / rules.lot + 1e-9);
  return lots >= 1 && lots * rules.lot * s.bid >= rules.minCost ? { side: "sell", lots } : undefined;
}
