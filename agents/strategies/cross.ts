// Crossing detection between two series with Backtrader's CrossOver rule (last non-zero difference).

/**
 * Backtrader's `CrossOver(a, b)` as a stream. It keeps the last non-zero difference a − b
 * (`NonZeroDifference`, seeded on the first pair even if that difference is 0), and reports
 * +1 when that difference before this step was < 0 and a > b now, −1 when it was > 0 and
 * a < b now, else 0. So a stretch of exact ties (a == b) is looked through: below, equal,
 * above counts as one up-cross on the "above" step; below, equal, below counts as none.
 */
export class CrossOver {
  private nzd = NaN;
  private seeded = false;

  /** Feeds one pair; the first call only seeds and returns 0. */
  update(a: number, b: number): -1 | 0 | 1 {
    const d = a - b;
    if (!this.seeded) {
      this.seeded = true;
      this.nzd = d;
      return 0;
    }
    const before = this.nzd;
    if (d !== 0) this.nzd = d; // Python's `d if d else prev`: NaN is truthy there too
    if (before < 0 && a > b) return 1;
    if (before > 0 && a < b) return -1;
    return 0;
  }
}
