// The last N values of a stream in a ring buffer, no allocation per value (windowing, not an indicator).

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
