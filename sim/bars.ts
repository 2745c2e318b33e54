// Fixed-interval OHLCV bars of a run's trades, built as a venue observer and written as bars.arrow.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Float64, Int32, Int64, TimestampMillisecond } from "apache-arrow";
import type { TopOfBook } from "../market/engine.ts";
import { badRows, Col, TradeCol, type EventLog } from "../market/event-log.ts";
import { lotsToAmount, ticksToPrice, type Instrument } from "../market/instrument.ts";
import type { VenueObserver } from "../market/sim-venue.ts";
import { EventKind } from "../market/types.ts";
import { arrowFileBytes, field, float64Data, int32Data, int64Data, RowBuffer, runMetadata, type ColumnSpec } from "./arrow-columns.ts";

/** One minute in ns: the default bar interval. */
export const MINUTE_NS = 60_000_000_000;
const NS_PER_MS = 1_000_000;

export interface BarOptions {
  /** Bar length in ns; a positive whole number of milliseconds. Default 1 minute. */
  readonly intervalNs?: number;
  /** UTC ms that sim time 0 stands for, for the `timestamp` column. Default 0 (1970-01-01). */
  readonly epochMs?: number;
}

// Row layout (Float64): bar index, OHLC in ticks, volume in lots, trade count, Σ ticks × lots.
const STRIDE = 8;
const B_INDEX = 0, B_OPEN = 1, B_HIGH = 2, B_LOW = 3, B_CLOSE = 4, B_VOLUME = 5, B_TRADES = 6, B_NOTIONAL = 7;

/**
 * Aggregates the venue's trades into bars of `intervalNs`, like an exchange's kline stream:
 * bar k covers sim time [k·interval, (k+1)·interval). Open is the bar's first trade price,
 * close its last, high and low the extremes, volume the sum of sizes. A bar with no trade is
 * flat at the previous close with volume 0 (vwap null), so the series has no gaps from the
 * first traded bar to the end of the run; nothing is emitted before the first trade.
 * Prices and sizes stay integer ticks and lots until `write`. Reads the event log in place:
 * no per-trade allocation. `finish(endNs)` must be called before `write`.
 */
export class BarBuilder implements VenueObserver {
  readonly instrument: Instrument;
  readonly intervalNs: number;
  readonly epochMs: number;
  private readonly rows = new RowBuffer(STRIDE, 256);
  /** Index of the open bar, or -1 before the first trade. */
  private cur = -1;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volume = 0;
  private trades = 0;
  private notional = 0;
  private lastTs = 0;
  private finished = false;

  /** @throws Error naming the option when `intervalNs` is not a positive whole number of ms or `epochMs` not an integer. */
  constructor(instrument: Instrument, options: BarOptions = {}) {
    const intervalNs = options.intervalNs ?? MINUTE_NS;
    const epochMs = options.epochMs ?? 0;
    if (!Number.isSafeInteger(intervalNs) || intervalNs <= 0 || intervalNs % NS_PER_MS !== 0) {
      throw new Error(`bars.intervalNs: ${intervalNs} is not a positive whole number of ms in ns`);
    }
    if (!Number.isSafeInteger(epochMs)) throw new Error(`bars.epochMs: ${epochMs} is not an integer number of ms`);
    this.instrument = instrument;
    this.intervalNs = intervalNs;
    this.epochMs = epochMs;
  }

  /** Bars closed so far (all of them after `finish`). */
  get count(): number {
    return this.rows.length;
  }

  /**
   * Folds the trades among `log` rows [from, to) into bars; other events are ignored.
   * @throws RangeError when [from, to) is not inside the log; Error when a trade goes back in
   *   time or arrives after `finish`.
   */
  onEvents(log: EventLog, from: number, to: number): void {
    if (!(from >= 0 && from <= to && to <= log.size)) throw badRows("bars", from, to, log.size);
    for (let i = from; i < to; i++) {
      if (log.kind(i) !== EventKind.TRADE) continue;
      this.trade(log.field(i, Col.TS), log.field(i, TradeCol.PRICE), log.field(i, TradeCol.SIZE));
    }
  }

  /** Bars come from trades only. */
  onTop(_ts: number, _top: TopOfBook): void {}

  /**
   * Closes the open bar and fills flat bars up to the last one that started before `endNs`
   * (open time < endNs). A trade at exactly `endNs` (the kernel runs events at its end time)
   * is in no bar when `endNs` is a bar boundary. Further trades or calls throw.
   * @throws Error when called twice, when `endNs` is not a non-negative integer, or when a
   *   trade came after `endNs`.
   */
  finish(endNs: number): void {
    if (this.finished) throw new Error("bars.finish: already finished");
    if (!Number.isSafeInteger(endNs) || endNs < 0) throw new Error(`bars.finish: endNs ${endNs} is not a non-negative integer of ns`);
    if (this.lastTs > endNs) throw new Error(`bars.finish: endNs ${endNs} is before the last trade at ${this.lastTs} ns`);
    this.finished = true;
    if (this.cur < 0) return;
    // Last bar that started before endNs: ceil(endNs / interval) - 1.
    const last = Math.ceil(endNs / this.intervalNs) - 1;
    if (this.cur > last) return; // the open bar started at or after endNs: leave it out
    this.push();
    this.flatUntil(last + 1);
  }

  /** Close prices (quote currency) of the bars closed so far, oldest first. */
  closes(): Float64Array {
    return this.prices(B_CLOSE);
  }

  /** High prices (quote currency) of the bars closed so far, oldest first. */
  highs(): Float64Array {
    return this.prices(B_HIGH);
  }

  /** Low prices (quote currency) of the bars closed so far, oldest first. */
  lows(): Float64Array {
    return this.prices(B_LOW);
  }

  /** Volumes (base coins) of the bars closed so far, oldest first. */
  volumes(): Float64Array {
    const n = this.rows.length;
    const out = new Float64Array(n);
    const d = this.rows.data;
    for (let i = 0; i < n; i++) out[i] = lotsToAmount(this.instrument, d[i * STRIDE + B_VOLUME]);
    return out;
  }

  private prices(column: number): Float64Array {
    const n = this.rows.length;
    const out = new Float64Array(n);
    const d = this.rows.data;
    for (let i = 0; i < n; i++) out[i] = ticksToPrice(this.instrument, d[i * STRIDE + column]);
    return out;
  }

  /**
   * Bars complete by `untilNs` (bar end <= untilNs), as ccxt's fetchOHLCV rows
   * [open time Unix ms, open, high, low, close, volume], oldest first: those opening at or after
   * `sinceMs` (all when undefined), at most the last `limit`. Includes the open bar once its
   * interval has passed and flat bars after it, without changing the builder, so a venue can
   * answer mid-run with exactly what `write` will later record. Nothing before the first trade.
   */
  candles(untilNs: number, sinceMs: number | undefined, limit: number): [number, number, number, number, number, number][] {
    const out: [number, number, number, number, number, number][] = [];
    if (this.cur < 0) return out;
    const inst = this.instrument;
    const I = this.intervalNs;
    const last = Math.floor(untilNs / I) - 1;
    const firstK = sinceMs === undefined ? -Infinity : Math.ceil(((sinceMs - this.epochMs) * NS_PER_MS) / I);
    const from = Math.max(firstK, last - limit + 1);
    const push = (k: number, o: number, h: number, l: number, c: number, v: number) => {
      if (k >= from && k <= last) out.push([this.epochMs + (k * I) / NS_PER_MS, ticksToPrice(inst, o), ticksToPrice(inst, h), ticksToPrice(inst, l), ticksToPrice(inst, c), lotsToAmount(inst, v)]);
    };
    const d = this.rows.data;
    // Closed rows are in index order; skip those before `from` by binary search.
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d[mid * STRIDE + B_INDEX] < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.rows.length; i++) {
      const o = i * STRIDE;
      push(d[o + B_INDEX], d[o + B_OPEN], d[o + B_HIGH], d[o + B_LOW], d[o + B_CLOSE], d[o + B_VOLUME]);
    }
    if (this.finished) return out;
    push(this.cur, this.open, this.high, this.low, this.close, this.volume);
    for (let k = Math.max(this.cur + 1, from); k <= last; k++) push(k, this.close, this.close, this.close, this.close, 0);
    return out;
  }

  /** Open times (ns since the start of the run) of the bars closed so far, oldest first. */
  openTimesNs(): Float64Array {
    const n = this.rows.length;
    const out = new Float64Array(n);
    const d = this.rows.data;
    for (let i = 0; i < n; i++) out[i] = d[i * STRIDE + B_INDEX] * this.intervalNs;
    return out;
  }

  /**
   * Writes `dir`/bars.arrow (Arrow IPC file format, deterministic bytes), creating `dir`.
   * Columns: timestamp (ms UTC, bar open), open, high, low, close (quote), volume (base),
   * trades (Int32), vwap (quote, null without trades), ts_ns (Int64, bar open since sim start).
   * @returns the path written.
   * @throws Error when `finish` has not been called.
   */
  async write(dir: string): Promise<string> {
    if (!this.finished) throw new Error("bars.write: call finish(endNs) first");
    await mkdir(dir, { recursive: true });
    const path = join(dir, "bars.arrow");
    await writeFile(path, this.fileBytes());
    return path;
  }

  /** The bytes `write` puts in bars.arrow. */
  fileBytes(): Uint8Array {
    const metadata = runMetadata("bars", this.instrument.spec, this.epochMs, [["btc_arena.interval_ns", String(this.intervalNs)]]);
    return arrowFileBytes(this.columns(), metadata, this.rows);
  }

  // ---------------------------------------------------------------- internals

  private trade(ts: number, price: number, size: number): void {
    if (this.finished || !Number.isSafeInteger(ts) || ts < this.lastTs) throw badTrade(this.finished, ts, this.lastTs);
    this.lastTs = ts;
    const k = Math.floor(ts / this.intervalNs);
    if (k !== this.cur) {
      if (this.cur >= 0) {
        this.push();
        this.flatUntil(k);
      }
      this.cur = k;
      this.open = price;
      this.high = price;
      this.low = price;
      this.volume = 0;
      this.trades = 0;
      this.notional = 0;
    }
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    this.close = price;
    this.volume += size;
    this.trades++;
    this.notional += price * size;
  }

  /** Appends the open bar. */
  private push(): void {
    const o = this.rows.add();
    const d = this.rows.data;
    d[o + B_INDEX] = this.cur;
    d[o + B_OPEN] = this.open;
    d[o + B_HIGH] = this.high;
    d[o + B_LOW] = this.low;
    d[o + B_CLOSE] = this.close;
    d[o + B_VOLUME] = this.volume;
    d[o + B_TRADES] = this.trades;
    d[o + B_NOTIONAL] = this.notional;
  }

  /** Appends flat bars at the last close for indexes cur+1 .. k-1. */
  private flatUntil(k: number): void {
    const c = this.close;
    for (let j = this.cur + 1; j < k; j++) {
      const o = this.rows.add();
      const d = this.rows.data;
      d[o + B_INDEX] = j;
      d[o + B_OPEN] = c;
      d[o + B_HIGH] = c;
      d[o + B_LOW] = c;
      d[o + B_CLOSE] = c;
      d[o + B_VOLUME] = 0;
      d[o + B_TRADES] = 0;
      d[o + B_NOTIONAL] = 0;
    }
  }

  private columns(): ColumnSpec[] {
    const inst = this.instrument;
    const interval = this.intervalNs;
    const intervalMs = interval / NS_PER_MS;
    const price = (name: string, c: number): ColumnSpec => ({
      field: field(name, new Float64(), false, inst.quote),
      build: (cols) => float64Data(cols[c].map((t) => ticksToPrice(inst, t))),
    });
    // Σ(ticks × lots) / Σ lots is exact in ticks while the sum stays below 2^53.
    const vwap = (cols: readonly Float64Array[]): Float64Array => {
      const notional = cols[B_NOTIONAL];
      return cols[B_VOLUME].map((v, i) => (v === 0 ? NaN : Number(((notional[i] / v) * inst.spec.tickSize).toPrecision(15))));
    };
    return [
      {
        field: field("timestamp", new TimestampMillisecond("UTC"), false),
        build: (cols) => int64Data("timestamp", cols[B_INDEX].map((k) => k * intervalMs), BigInt(this.epochMs)).clone(new TimestampMillisecond("UTC")),
      },
      price("open", B_OPEN),
      price("high", B_HIGH),
      price("low", B_LOW),
      price("close", B_CLOSE),
      {
        field: field("volume", new Float64(), false, inst.base),
        build: (cols) => float64Data(cols[B_VOLUME].map((l) => lotsToAmount(inst, l))),
      },
      { field: field("trades", new Int32(), false), build: (cols) => int32Data(cols[B_TRADES]) },
      { field: field("vwap", new Float64(), true, inst.quote), build: (cols) => float64Data(vwap(cols)) },
      {
        field: field("ts_ns", new Int64(), false, "ns"),
        build: (cols) => int64Data("ts_ns", cols[B_INDEX].map((k) => k * interval)),
      },
    ];
  }
}

// Built in a function of its own, off the hot path: see badAdvance in sim/clock.ts.
function badTrade(finished: boolean, ts: number, lastTs: number): Error {
  if (finished) return new Error(`bars.onEvents: trade at ${ts} ns after finish`);
  return new Error(`bars.onEvents: trade ts ${ts} is not an integer of ns at or after ${lastTs}`);
}
