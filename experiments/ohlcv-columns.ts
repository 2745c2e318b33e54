// Growable OHLCV columns: bars appended one at a time into blocks, joined into exact-length arrays at the end.
import type { Ohlcv } from "./ohlcv.ts";

const FIRST_BLOCK = 1024;
// Blocks stop doubling here, so the unused tail of the last block stays small beside the columns.
const MAX_BLOCK = 1 << 16;

/**
 * Six Float64 columns. Given the final length up front (`capacity`), rows go straight into the
 * result and `finish` copies nothing. Past it (or with none given) rows go into blocks (no copy
 * on growth), and `finish` copies them into one exact-length array per column.
 */
export class BarColumns {
  private readonly done: Float64Array[][] = [[], [], [], [], [], []];
  private t = new Float64Array(0);
  private o = this.t;
  private h = this.t;
  private l = this.t;
  private c = this.t;
  private v = this.t;
  private at = 0;
  /** Bars appended so far. */
  length = 0;

  /** @param capacity rows expected: when exactly this many are pushed, the arrays are returned as they are. */
  constructor(capacity = 0) {
    if (capacity > 0) [this.t, this.o, this.h, this.l, this.c, this.v] = Array.from({ length: 6 }, () => new Float64Array(capacity));
  }

  push(t: number, o: number, h: number, l: number, c: number, v: number): void {
    const i = this.at;
    if (i === this.t.length) {
      this.grow();
      this.push(t, o, h, l, c, v);
      return;
    }
    this.t[i] = t;
    this.o[i] = o;
    this.h[i] = h;
    this.l[i] = l;
    this.c[i] = c;
    this.v[i] = v;
    this.at = i + 1;
    this.length++;
  }

  private grow(): void {
    const cur = [this.t, this.o, this.h, this.l, this.c, this.v];
    if (this.t.length > 0) cur.forEach((a, k) => this.done[k].push(a));
    const size = Math.min(MAX_BLOCK, Math.max(FIRST_BLOCK, this.t.length * 2));
    [this.t, this.o, this.h, this.l, this.c, this.v] = cur.map(() => new Float64Array(size));
    this.at = 0;
  }

  /** The bars appended, one exact-length array per column. The builder is empty afterwards. */
  finish(): Ohlcv {
    const n = this.length;
    const cur = [this.t, this.o, this.h, this.l, this.c, this.v];
    const exact = this.done[0].length === 0 && n === this.t.length;
    const cols = exact ? cur : cur.map((last, k) => {
      const out = new Float64Array(n);
      let at = 0;
      for (const b of this.done[k]) {
        out.set(b, at);
        at += b.length;
      }
      out.set(last.subarray(0, n - at), at);
      this.done[k] = [];
      return out;
    });
    this.t = this.o = this.h = this.l = this.c = this.v = new Float64Array(0);
    this.at = 0;
    this.length = 0;
    return { timestamps: cols[0], open: cols[1], high: cols[2], low: cols[3], close: cols[4], volume: cols[5] };
  }
}
