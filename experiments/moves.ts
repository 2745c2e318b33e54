// The move a scenario produced, measured the same way as the move it specifies.

/**
 * Realised move in percent: from the last close before `fromNs` (the first shock; the first
 * bar when there is none) to the most extreme close after it in the direction of `expectedPct`
 * (the lowest close for a fall, the highest for a rise). So a -30% crash that later recovers
 * still reports the fall it made. Null without bars on both sides.
 */
export function realisedMovePct(openNs: Float64Array, closes: Float64Array, fromNs: number, expectedPct: number): number | null {
  let start = -1;
  for (let i = 0; i < openNs.length && openNs[i] < fromNs; i++) start = i;
  if (start < 0 && closes.length > 0 && fromNs <= openNs[0]) start = 0;
  if (start < 0 || start + 1 >= closes.length) return null;
  const base = closes[start];
  let extreme = expectedPct < 0 ? Infinity : -Infinity;
  for (let i = start + 1; i < closes.length; i++) {
    extreme = expectedPct < 0 ? Math.min(extreme, closes[i]) : Math.max(extreme, closes[i]);
  }
  return Math.round((extreme / base - 1) * 100 * 100) / 100;
}
