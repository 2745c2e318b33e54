// The venue's top of book through time, so a client can read it as of its own delayed clock.
import type { TopOfBook } from "./engine.ts";

const FIELDS = 5;

/**
 * A ring of the last `capacity` top-of-book changes (venue time, bid, bid size, ask, ask
 * size). A simulated client reads the top as it stood `latency` ns ago: what its market data
 * feed would have shown, without the venue sending every change to every agent. Reads
 * older than the ring return its oldest entry (the ring covers far more than any latency).
 */
export class TopTape {
  private readonly data: Float64Array;
  private readonly capacity: number;
  private count = 0;
  private head = 0;

  constructor(capacity = 1 << 16) {
    this.capacity = capacity;
    this.data = new Float64Array(capacity * FIELDS);
  }

  /** Records the top at venue time `ts` (non-decreasing). */
  push(ts: number, top: TopOfBook): void {
    const o = this.head * FIELDS;
    const d = this.data;
    d[o] = ts;
    d[o + 1] = top.bidPrice;
    d[o + 2] = top.bidSize;
    d[o + 3] = top.askPrice;
    d[o + 4] = top.askSize;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * Index (into the ring) of the last change at or before venue time `t`, or -1 when there
   * was none yet. Binary search from the oldest entry.
   */
  private indexAt(t: number): number {
    if (this.count === 0) return -1;
    const oldest = (this.head - this.count + this.capacity) % this.capacity;
    let lo = 0;
    let hi = this.count - 1;
    if (this.data[oldest * FIELDS] > t) return this.count === this.capacity ? oldest : -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.data[((oldest + mid) % this.capacity) * FIELDS] <= t) lo = mid;
      else hi = mid - 1;
    }
    return (oldest + lo) % this.capacity;
  }

  /** Best bid in ticks as of venue time `t` (0 when none). */
  bidAt(t: number): number {
    const i = this.indexAt(t);
    return i < 0 ? 0 : this.data[i * FIELDS + 1];
  }

  /** Best ask in ticks as of venue time `t` (0 when none). */
  askAt(t: number): number {
    const i = this.indexAt(t);
    return i < 0 ? 0 : this.data[i * FIELDS + 3];
  }

  /** The whole top as of venue time `t` (allocates). */
  at(t: number): TopOfBook {
    const i = this.indexAt(t);
    if (i < 0) return { bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0 };
    const o = i * FIELDS;
    const d = this.data;
    return { bidPrice: d[o + 1], bidSize: d[o + 2], askPrice: d[o + 3], askSize: d[o + 4] };
  }
}
