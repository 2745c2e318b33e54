// Windows over a stream, no allocation per value: the last N values, and their max or min (windowing, not indicators).

/** The last `size` values of a stream in a ring buffer. */
export class RollingWindow {
  readonly size: number;
  private readonly buf: Float64Array;
  private head = 0;
  /** Values pushed so far (not capped at `size`). */
  count = 0;

  /** @throws RangeError unless `size` is a positive integer. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`RollingWindow: size ${size} must be a positive integer`);
    this.size = size;
    this.buf = new Float64Array(size);
  }

  /** Appends `x`, dropping the oldest value once the window is full. */
  push(x: number): void {
    this.buf[this.head] = x;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    this.count++;
  }

  /** True once `size` values have been pushed. */
  get full(): boolean {
    return this.count >= this.size;
  }

  /** The value `ago` steps back: 0 is the latest, `size - 1` the oldest kept. NaN if not kept. */
  ago(ago: number): number {
    if (ago < 0 || ago >= this.size || ago >= this.count) return NaN;
    const i = this.head - 1 - ago;
    return this.buf[i < 0 ? i + this.size : i];
  }
}

/**
 * The highest (`"max"`) or lowest (`"min"`) of the last `size` values pushed: a monotonic
 * deque in a ring of `size` slots, O(1) amortised per value and no allocation per value.
 * The result is one of the values pushed, so it is exactly what a scan of the window (such as
 * trading-signals' DonchianChannels) returns. Values must not be NaN.
 */
export class RollingExtreme {
  readonly size: number;
  /** +1 for the maximum, −1 for the minimum: candidates are compared as `sign · value`. */
  private readonly sign: number;
  /** The deque: values and the push count of each, oldest (the extreme) at `head`. */
  private readonly vals: Float64Array;
  private readonly at: Float64Array;
  private head = 0;
  private len = 0;
  /** Values pushed so far (not capped at `size`). */
  count = 0;

  /** @throws RangeError unless `size` is a positive integer. */
  constructor(size: number, kind: "max" | "min") {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`RollingExtreme: size ${size} must be a positive integer`);
    this.size = size;
    this.sign = kind === "max" ? 1 : -1;
    this.vals = new Float64Array(size);
    this.at = new Float64Array(size);
  }

  /** Appends `x`, dropping the oldest value once the window is full. */
  push(x: number): void {
    const size = this.size;
    const vals = this.vals;
    const sx = this.sign * x;
    const i = this.count++;
    // The front leaves the window once `size` newer values have come (at most one per push).
    if (this.len > 0 && this.at[this.head] <= i - size) {
      this.head = this.head + 1 === size ? 0 : this.head + 1;
      this.len--;
    }
    // Values no larger (smaller for "min") than x can never be the extreme again.
    let len = this.len;
    while (len > 0) {
      let back = this.head + len - 1;
      if (back >= size) back -= size;
      if (this.sign * vals[back] > sx) break;
      len--;
    }
    let slot = this.head + len;
    if (slot >= size) slot -= size;
    vals[slot] = x;
    this.at[slot] = i;
    this.len = len + 1;
  }

  /** True once `size` values have been pushed. */
  get full(): boolean {
    return this.count >= this.size;
  }

  /** The extreme of the window once it is full, else NaN. */
  get value(): number {
    return this.count >= this.size ? this.vals[this.head] : NaN;
  }
}
