// Trade statistics (win rate, profit factor, count) and exposure (share of bars holding a position).

/** A closed round trip. Extra fields (side, size, prices) are allowed and ignored here. */
export interface ClosedTrade {
  /** Entry time, Unix ms. */
  readonly entryTime: number;
  /** Exit time, Unix ms, ≥ entryTime. */
  readonly exitTime: number;
  /** Realised profit and loss after fees, quote currency. */
  readonly pnl: number;
}

/** Statistics of closed trades; null fields when there is no trade to compute them from. */
export interface TradeStats {
  readonly tradeCount: number;
  /** Trades with pnl > 0 over all trades; a break-even trade (pnl = 0) is not a win. Null with no trades. */
  readonly winRate: number | null;
  /**
   * Gross profit / gross loss = Σ pnl⁺ / |Σ pnl⁻|. Infinity when there are profits but no
   * losses; null with no trades or when every trade broke even (0/0).
   */
  readonly profitFactor: number | null;
}

/** @throws RangeError for a non-finite pnl or time, or an exit before the entry. */
export function tradeStats(trades: readonly ClosedTrade[]): TradeStats {
  let wins = 0;
  let gain = 0;
  let loss = 0;
  for (const [i, tr] of trades.entries()) {
    if (!Number.isFinite(tr.pnl)) throw new RangeError(`trades[${i}].pnl = ${tr.pnl} must be finite`);
    if (!(Number.isFinite(tr.entryTime) && Number.isFinite(tr.exitTime) && tr.exitTime >= tr.entryTime)) {
      throw new RangeError(`trades[${i}] exits at ${tr.exitTime}, before its entry at ${tr.entryTime} (or a time is not finite)`);
    }
    if (tr.pnl > 0) {
      wins++;
      gain += tr.pnl;
    } else loss -= tr.pnl;
  }
  const n = trades.length;
  if (n === 0) return { tradeCount: 0, winRate: null, profitFactor: null };
  const profitFactor = loss > 0 ? gain / loss : gain > 0 ? Infinity : null;
  return { tradeCount: n, winRate: wins / n, profitFactor };
}

/**
 * Share of bars with a position, from a per-bar flag or signed position fraction: bars with
 * a non-zero value over all bars (a half-sized short counts as exposed, the same as a full long).
 * @throws RangeError when the length differs from the bar count or a value is not finite.
 */
export function exposureFromFlags(flags: ArrayLike<number>, bars: number): number {
  if (flags.length !== bars) throw new RangeError(`exposure has ${flags.length} values for ${bars} bars`);
  let held = 0;
  for (let i = 0; i < bars; i++) {
    if (!Number.isFinite(flags[i])) throw new RangeError(`exposure[${i}] = ${flags[i]} must be finite`);
    if (flags[i] !== 0) held++;
  }
  return held / bars;
}

/**
 * Share of bars with a position, from trades: a bar at time t is exposed when some trade has
 * entryTime ≤ t < exitTime (the bar where a trade exits is flat again unless another is open).
 */
export function exposureFromTrades(t: ArrayLike<number>, trades: readonly ClosedTrade[]): number {
  const spans = trades.map((tr) => [tr.entryTime, tr.exitTime] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let held = 0;
  let k = 0;
  let openUntil = -Infinity;
  for (let i = 0; i < t.length; i++) {
    while (k < spans.length && spans[k][0] <= t[i]) openUntil = Math.max(openUntil, spans[k++][1]);
    if (t[i] < openUntil) held++;
  }
  return t.length === 0 ? 0 : held / t.length;
}
