// The move a scenario produced, measured the same way as the move it specifies.

/**
 * Realised move in percent: from the last close before `fromNs` (the first shock; the first
 * bar when there is none) to the most extreme close after it in the direction of `expectedPct`
 * (the lowest close for a fall, the highest for a rise). So a -30% crash that later recovers
 * still reports the fall it made. Null without bars on both sides.
 */
export function realisedMovePct(openNs: Float64Array, closes: Float64Array, fromNs: number, expectedPct: number): number | null {
  return realisedMoves(openNs, closes, [{ label: "move", at: fromNs, within: Infinity, pct: expectedPct }])[0].realisedPct;
}

/** One leg of a scenario's specified path, as the spec states it (times in ns from the start). */
export interface MoveLeg {
  readonly label: string;
  readonly at: number;
  readonly within: number;
  readonly pct: number;
}

/** A leg's outcome, as summary.json reports it. */
export interface MoveResult {
  readonly label: string;
  readonly expectedPct: number;
  /** Null when the run has no bars on both sides of `at`. */
  readonly realisedPct: number | null;
  /** Minutes from `at` to the extreme close of the leg. */
  readonly minutesToExtreme: number | null;
}

/**
 * Realised legs: each from the last close before `at` to the most extreme close in the leg's
 * direction among bars opening in [at, at + within). A pump's dump leg starting at the top
 * therefore measures the fall from the top, and a recovery leg starting at the trough
 * measures the way back up.
 */
export function realisedMoves(openNs: Float64Array, closes: Float64Array, legs: readonly MoveLeg[]): MoveResult[] {
  return legs.map((leg) => {
    let start = -1;
    for (let i = 0; i < openNs.length && openNs[i] < leg.at; i++) start = i;
    if (start < 0 && closes.length > 0 && leg.at <= openNs[0]) start = 0;
    const none = { label: leg.label, expectedPct: leg.pct, realisedPct: null, minutesToExtreme: null };
    if (start < 0 || start + 1 >= closes.length) return none;
    const end = leg.at + leg.within;
    let extreme = NaN;
    let at = -1;
    for (let i = start + 1; i < closes.length && openNs[i] < end; i++) {
      if (Number.isNaN(extreme) || (leg.pct < 0 ? closes[i] < extreme : closes[i] > extreme)) {
        extreme = closes[i];
        at = i;
      }
    }
    if (at < 0) return none;
    return {
      label: leg.label,
      expectedPct: leg.pct,
      realisedPct: Math.round((extreme / closes[start] - 1) * 100 * 100) / 100,
      minutesToExtreme: Math.round((openNs[at] - leg.at) / 6e10),
    };
  });
}

/**
 * Mean true range of the bars as a percent of the close: the average of what a 1-bar ATR
 * shows over the run, i.e. the volatility a chart reader sees. Null with fewer than 2 bars.
 */
export function meanAtrPct(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): number | null {
  const n = close.length;
  if (n < 2) return null;
  let sum = 0;
  for (let i = 1; i < n; i++) {
    const tr = Math.max(high[i] - low[i], Math.abs(high[i] - close[i - 1]), Math.abs(low[i] - close[i - 1]));
    sum += tr / close[i];
  }
  return Math.round((sum / (n - 1)) * 100 * 1e4) / 1e4;
}
