// Min/max bucket downsampling: keeps a series' extremes (a crash's low, a pump's high) within a point budget.

/**
 * At most `maxPoints` points of `points`, in their original order: the first and the last,
 * and between them, for each of ⌊(maxPoints − 2) / 2⌋ equal buckets of the interior, the
 * point with the smallest and the one with the largest value (one point if they coincide;
 * ties keep the earliest). A series within the budget is returned whole (a copy).
 * @throws RangeError when maxPoints < 4.
 */
export function downsampleMinMax<P>(points: readonly P[], maxPoints: number, value: (p: P) => number): P[] {
  if (!(maxPoints >= 4)) throw new RangeError(`maxPoints ${maxPoints} must be at least 4`);
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  const out: P[] = [points[0]];
  const interior = n - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * interior) / buckets);
    const to = 1 + Math.floor(((b + 1) * interior) / buckets);
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      const v = value(points[i]);
      if (v < value(points[lo])) lo = i;
      if (v > value(points[hi])) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else if (lo < hi) out.push(points[lo], points[hi]);
    else out.push(points[hi], points[lo]);
  }
  out.push(points[n - 1]);
  return out;
}
