// Resting limit orders on bars: when a bar fills one, and at what price.
//
// THE RULE. An order resting before a bar opens fills in that bar when the bar reaches its
// limit: a buy when the low is at or below the limit, a sell when the high is at or above it.
// It fills at the open when the bar opened beyond the limit (a gap: never worse than the
// limit, and the open is the first price the bar traded), else at the limit. Limit fills pay
// no slippage (the price is the order's own); commission applies as on any fill (costs.ts).
// The whole order fills: bars carry no queue, so there is no partial fill by volume.

/**
 * The fill price of a resting buy limit in a bar, quote; NaN when the bar does not reach it.
 * @param limit the order's price; `open`, `low` the bar's.
 */
export function buyLimitFill(limit: number, open: number, low: number): number {
  if (!(low <= limit)) return NaN;
  return open < limit ? open : limit;
}

/**
 * The fill price of a resting sell limit in a bar, quote; NaN when the bar does not reach it.
 * @param limit the order's price; `open`, `high` the bar's.
 */
export function sellLimitFill(limit: number, open: number, high: number): number {
  if (!(high >= limit)) return NaN;
  return open > limit ? open : limit;
}
