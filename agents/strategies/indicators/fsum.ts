// Correctly rounded float sums (Python's math.fsum), batch and as a running exact sum for sliding windows.

/**
 * An exact running sum of doubles: Shewchuk's non-overlapping partials, rounded on demand the
 * way CPython's `math.fsum` rounds them (half-even across partials). Adding `-x` removes an
 * earlier `x` exactly, so a sliding window's sum is the correctly rounded sum of exactly the
 * values in the window, bit for bit what `math.fsum(window)` returns, at O(partials) per step
 * (two or three partials for prices) instead of O(window). Allocates only when the partials
 * outgrow their buffer, which takes adversarial exponent spreads.
 */
export class ExactSum {
  private p = new Float64Array(32);
  private n = 0;

  /**
   * Adds `x` exactly.
   * @throws RangeError for a non-finite `x`, or when an intermediate sum overflows
   *   (Python raises OverflowError "intermediate overflow in fsum" there).
   */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`ExactSum.add: ${x} is not finite`);
    const p = this.p;
    let i = 0;
    for (let j = 0; j < this.n; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    this.n = i;
    if (x !== 0) {
      if (!Number.isFinite(x)) throw new RangeError("ExactSum.add: intermediate overflow");
      if (this.n === p.length) {
        const grown = new Float64Array(p.length * 2);
        grown.set(p);
        this.p = grown;
      }
      this.p[this.n++] = x;
    }
  }

  /** The exact sum rounded to the nearest double, ties to even (CPython's fsum epilogue). */
  value(): number {
    const p = this.p;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    // Sum from the largest partial down, stopping once the sum becomes inexact.
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Half-even rounding across partials: when the remainder and the next partial point the
    // same way, the true sum lies past the halfway point that `hi` rounded to.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** Back to an empty sum (0). */
  clear(): void {
    this.n = 0;
  }
}

/**
 * The correctly rounded sum of `values`, equal to Python's `math.fsum(values)` for finite input.
 * @throws RangeError for a non-finite value or an intermediate overflow.
 */
export function fsum(values: Iterable<number>): number {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
}
