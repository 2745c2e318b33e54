// The venue's top of book through time, so a client can read it as of its own delayed clock.
import type { TopOfBook } from "./engine.ts";

const FIELDS = 5;

/**
 * A ring of the last `capacity` top-of-book changes (venue time, bid, bid size, ask, ask
 * size). A simulated client reads the top as it stood `latency` ns ago: what its market data
 * feed would have shown, without the venue sending every change to every agent. Reads
 * older than the ring, once it has dropped changes, return its oldest entry (the ring
 * covers far more than any latency).
 */
export class TopTape {
  private readonly data: Float64Array;
  private readonly capacity: number;
  private count = 0;
  private head = 0;
  /** Whether changes have been dropped off the ring's old end. */
  private wrapped = false;

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
    else this.wrapped = true;
  }

  /**
   * Index (into the ring) of the last change at or before venue time `t`, or -1 when there
   * was none yet. Reads come about one feed latency behind the newest change, so the search
   * gallops back from the newest entry and then bisects: a few reads of the ring's recent end
   * instead of a bisection over all of it, whose every probe missed the cache.
   */
  private indexAt(t: number): number {
    const n = this.count;
    if (n === 0) return -1;
    const cap = this.capacity;
    const d = this.data;
    const newest = ring(this.head - 1, cap);
    // lo and hi count entries back from the newest; timestamps do not increase going back.
    let lo = 0;
    if (d[newest * FIELDS] <= t) return newest;
    let hi = 1;
    for (;;) {
      if (hi >= n) {
        hi = n - 1;
        const oldest = ring(newest - hi, cap);
        if (d[oldest * FIELDS] > t) return this.wrapped ? oldest : -1;
        break;
      }
      if (d[ring(newest - hi, cap) * FIELDS] <= t) break;
      lo = hi;
      hi *= 2;
    }
    // The entry `lo` back is after t, the one `hi` back is not: find the first that is not.
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (d[ring(newest - mid, cap) * FIELDS] <= t) hi = mid;
      else lo = mid;
    }
    return ring(newest - hi, cap);
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

/** A ring position from one that may have gone below 0 by less than `cap`. */
function ring(i: number, cap: number): number {
  return i < 0 ? i + cap : i;
}
