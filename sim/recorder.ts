// Run recorder: trades, order lifecycle, L1 on change and periodic L2 snapshots, as Arrow IPC files.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Bool, Float64, Int32, Int64, TimestampNanosecond } from "apache-arrow";
import type { Level, TopOfBook } from "../market/engine.ts";
import {
  AcceptedCol, AmendedCol, badRows, Col, EndedCol, EVENT_STRIDE, OrderCol, RejectedCol, TradeCol, type EventLog,
} from "../market/event-log.ts";
import { lotsToAmount, ticksToPrice, type Instrument } from "../market/instrument.ts";
import {
  EndReason,
  EventKind,
  RejectReason,
  endReasonName,
  rejectReasonName,
} from "../market/types.ts";
import {
  boolData,
  ChunkedRows,
  COLUMN_STRIDE,
  field,
  float64Data,
  human,
  int32Data,
  int64Data,
  runMetadata,
  StringDict,
  timestampData,
  type ColumnSpec,
} from "./arrow-columns.ts";
import { writeArrowFile } from "./arrow-file.ts";

export interface RecorderOptions {
  /** UTC milliseconds of sim time 0, for the `time` columns. Default 0 (1970-01-01). */
  readonly epochMs?: number;
}

/** Row counts per table. */
export interface RecorderCounts {
  readonly trades: number;
  readonly orders: number;
  readonly l1: number;
  readonly l2: number;
}

// Row layouts (Float64; NaN or -1 marks null): column numbers, column X of row slot o being
// at data[o + X * C] (see ChunkedRows). Trades keep the event log's columns from TS on, in
// its order: column X of the log is column X - Col.TS here.
const C = COLUMN_STRIDE;
const T_STRIDE = EVENT_STRIDE - Col.TS;
const T_TS = 0, T_ID = TradeCol.TRADE_ID - Col.TS, T_TAKER_ACCT = TradeCol.TAKER_ACCOUNT - Col.TS,
  T_PRICE = TradeCol.PRICE - Col.TS, T_SIZE = TradeCol.SIZE - Col.TS, T_MAKER_OID = TradeCol.MAKER_ORDER_ID - Col.TS,
  T_TAKER_OID = TradeCol.TAKER_ORDER_ID - Col.TS, T_MAKER_ACCT = TradeCol.MAKER_ACCOUNT - Col.TS,
  T_MAKER_FEE = TradeCol.MAKER_FEE - Col.TS, T_TAKER_FEE = TradeCol.TAKER_FEE - Col.TS, T_AGGRESSOR = TradeCol.AGGRESSOR - Col.TS;
const O_STRIDE = 14;
const O_TS = 0, O_EVENT = 1, O_ID = 2, O_ACCT = 3, O_CLIENT = 4, O_SIDE = 5, O_TYPE = 6, O_TIF = 7,
  O_POST = 8, O_PRICE = 9, O_SIZE = 10, O_REQUEST = 11, O_REASON = 12, O_PRIORITY = 13;
const L1_STRIDE = 5;
const L2_STRIDE = 7;
const L2_TS = 0, L2_SNAP = 1, L2_SIDE = 2, L2_LEVEL = 3, L2_PRICE = 4, L2_SIZE = 5, L2_ORDERS = 6;

// Dictionaries: ids are per file; codes are the indexes below.
const SIDE = new StringDict(1, ["buy", "sell"]);
const EVENT = new StringDict(0, ["accepted", "rejected", "canceled", "amended", "expired"]);
const ORDER_TYPE = new StringDict(2, ["limit", "market"]);
const TIF = new StringDict(3, ["gtc", "ioc", "fok"]);
const REQUEST = new StringDict(4, ["submit", "cancel", "amend"]);
const BOOK_SIDE = new StringDict(0, ["bid", "ask"]);
const AGGRESSOR = new StringDict(0, ["buy", "sell"]);

/** Event dictionary code per EventKind (trades have their own table). */
const EVENT_CODE: Readonly<Record<number, number>> = {
  [EventKind.ACCEPTED]: 0, [EventKind.REJECTED]: 1, [EventKind.CANCELED]: 2,
  [EventKind.AMENDED]: 3, [EventKind.EXPIRED]: 4,
};

/**
 * One `reason` dictionary for both reject and end reasons (a name both use, like
 * insufficient_balance, appears once), in code order so it never depends on the run.
 */
const REASON_NAMES: string[] = [];
const REJECT_CODE = new Int8Array(Math.max(...Object.values(RejectReason)) + 1);
const END_CODE = new Int8Array(Math.max(...Object.values(EndReason)) + 1);
for (const r of Object.values(RejectReason)) REJECT_CODE[r] = reasonCode(rejectReasonName[r]);
for (const r of Object.values(EndReason)) END_CODE[r] = reasonCode(endReasonName[r]);
function reasonCode(name: string): number {
  const i = REASON_NAMES.indexOf(name);
  return i >= 0 ? i : REASON_NAMES.push(name) - 1;
}
const REASON = new StringDict(5, REASON_NAMES);

// What the recorder remembers of each order from its `accepted` row, packed in one byte.
const KNOWN = 0x80;
const MAX_TRACKED_ORDER_ID = 1 << 30;

/**
 * Collects what happens in one run and writes it as four Arrow IPC files, for pandas,
 * polars, DuckDB and the notebooks:
 * - `trades.arrow`: one row per fill;
 * - `orders.arrow`: one row per accepted, rejected, canceled, amended or expired event;
 * - `l1.arrow`: the top of book each time it changed;
 * - `l2.arrow`: depth snapshots in long format (one row per side and level).
 * Every table has `ts_ns` (Int64 ns since sim start) and `time` (UTC timestamp), and keeps
 * both the integer units (`*_ticks`, `*_lots`, `*_units`) and human units (quote and base
 * currency; field metadata `unit` names which). Missing values are nulls, never NaN.
 *
 * Order ids are tracked densely (the engine numbers them 1, 2, 3, …) so that canceled,
 * amended and expired rows can carry the side, type and limit price of their order.
 * The files depend only on what was recorded, the instrument and `epochMs`: recording the
 * same run twice gives byte-identical files.
 */
export class Recorder {
  readonly instrument: Instrument;
  readonly epochMs: number;
  private readonly epochNs: bigint;
  private readonly trades = new ChunkedRows(T_STRIDE);
  private readonly orders = new ChunkedRows(O_STRIDE);
  private readonly l1 = new ChunkedRows(L1_STRIDE);
  private readonly l2 = new ChunkedRows(L2_STRIDE);
  private info = new Uint8Array(1024);
  private limitPrice = new Float64Array(1024);
  private lastTopTs = -1;
  private lastDepthTs = -1;
  private snapshots = 0;
  private lastBidPrice = NaN;
  private lastBidSize = NaN;
  private lastAskPrice = NaN;
  private lastAskSize = NaN;

  /** @throws Error when `options.epochMs` is not a safe integer. */
  constructor(instrument: Instrument, options: RecorderOptions = {}) {
    const epochMs = options.epochMs ?? 0;
    if (!Number.isSafeInteger(epochMs)) throw new Error(`recorder.epochMs: ${epochMs} is not an integer number of ms`);
    this.instrument = instrument;
    this.epochMs = epochMs;
    this.epochNs = BigInt(epochMs) * 1_000_000n;
  }

  /**
   * Appends the trades and order events `log` rows [from, to). Reads columns in place.
   * @throws RangeError when [from, to) is not inside the log; Error on an unknown event kind.
   */
  onEvents(log: EventLog, from: number, to: number): void {
    if (!(from >= 0 && from <= to && to <= log.size)) throw badRows("recorder", from, to, log.size);
    for (let i = from; i < to; i++) {
      const kind = log.kind(i);
      if (kind === EventKind.TRADE) {
        const o = this.trades.add();
        const d = this.trades.data;
        for (let c = 0; c < T_STRIDE; c++) d[o + c * C] = log.field(i, Col.TS + c);
        continue;
      }
      const code = EVENT_CODE[kind];
      if (code === undefined) throw badKind(i, kind);
      const id = log.field(i, OrderCol.ORDER_ID);
      const o = this.orders.add();
      const d = this.orders.data;
      d[o + O_TS * C] = log.field(i, Col.TS);
      d[o + O_EVENT * C] = code;
      d[o + O_ACCT * C] = log.field(i, OrderCol.ACCOUNT);
      d[o + O_CLIENT * C] = NaN;
      d[o + O_PRICE * C] = NaN;
      d[o + O_SIZE * C] = NaN;
      d[o + O_REQUEST * C] = -1;
      d[o + O_REASON * C] = -1;
      d[o + O_PRIORITY * C] = -1;
      switch (kind) {
        case EventKind.ACCEPTED: {
          const price = log.field(i, AcceptedCol.PRICE);
          this.remember(id, log.field(i, AcceptedCol.SIDE), log.field(i, AcceptedCol.ORDER_TYPE), log.field(i, AcceptedCol.TIF), log.field(i, AcceptedCol.POST_ONLY), price);
          const client = log.field(i, AcceptedCol.CLIENT_ORDER_ID);
          d[o + O_CLIENT * C] = client === 0 ? NaN : client;
          d[o + O_PRICE * C] = price === 0 ? NaN : price;
          d[o + O_SIZE * C] = log.field(i, AcceptedCol.SIZE);
          break;
        }
        case EventKind.REJECTED: {
          const client = log.field(i, RejectedCol.CLIENT_ORDER_ID);
          d[o + O_CLIENT * C] = client === 0 ? NaN : client;
          d[o + O_REQUEST * C] = log.field(i, RejectedCol.OP);
          d[o + O_REASON * C] = REJECT_CODE[log.field(i, RejectedCol.REASON)];
          break;
        }
        case EventKind.AMENDED: {
          const price = log.field(i, AmendedCol.PRICE);
          if (id < this.limitPrice.length) this.limitPrice[id] = price;
          d[o + O_PRICE * C] = price;
          d[o + O_SIZE * C] = log.field(i, AmendedCol.SIZE);
          d[o + O_PRIORITY * C] = log.field(i, AmendedCol.PRIORITY_KEPT);
          break;
        }
        default: {
          // canceled, expired: the remaining size, and the limit price the order had.
          d[o + O_SIZE * C] = log.field(i, EndedCol.REMAINING);
          d[o + O_REASON * C] = END_CODE[log.field(i, EndedCol.REASON)];
          const was = id < this.info.length ? this.info[id] : 0;
          d[o + O_PRICE * C] = (was & KNOWN) !== 0 && (was & 2) === 0 ? this.limitPrice[id] : NaN;
        }
      }
      d[o + O_ID * C] = id === 0 ? NaN : id;
      const known = id > 0 && id < this.info.length ? this.info[id] : 0;
      if ((known & KNOWN) !== 0) {
        d[o + O_SIDE * C] = known & 1;
        d[o + O_TYPE * C] = (known >> 1) & 1;
        d[o + O_TIF * C] = (known >> 2) & 3;
        d[o + O_POST * C] = (known >> 4) & 1;
      } else {
        d[o + O_SIDE * C] = -1;
        d[o + O_TYPE * C] = -1;
        d[o + O_TIF * C] = -1;
        d[o + O_POST * C] = -1;
      }
    }
  }

  /**
   * Records the top of book at venue time `ts` (ns). Prices in ticks, sizes in lots, 0 for
   * an empty side (written as nulls). A call that repeats the last recorded top is skipped,
   * so the table holds changes only.
   * @throws Error when `ts` is not a non-negative integer or goes backwards.
   */
  onTop(ts: number, top: TopOfBook): void {
    this.checkTime("onTop", ts, this.lastTopTs);
    this.lastTopTs = ts;
    const bp = top.bidPrice === 0 ? NaN : top.bidPrice;
    const bs = top.bidPrice === 0 ? NaN : top.bidSize;
    const ap = top.askPrice === 0 ? NaN : top.askPrice;
    const as = top.askPrice === 0 ? NaN : top.askSize;
    if (same(bp, this.lastBidPrice) && same(bs, this.lastBidSize) && same(ap, this.lastAskPrice) && same(as, this.lastAskSize)) {
      return;
    }
    this.lastBidPrice = bp;
    this.lastBidSize = bs;
    this.lastAskPrice = ap;
    this.lastAskSize = as;
    const o = this.l1.add();
    const d = this.l1.data;
    d[o] = ts;
    d[o + C] = bp;
    d[o + 2 * C] = bs;
    d[o + 3 * C] = ap;
    d[o + 4 * C] = as;
  }

  /**
   * Records an L2 snapshot at venue time `ts` (ns): levels best first, prices in ticks and
   * sizes in lots. Each call is one `snapshot` number; an empty book adds no rows.
   * @throws Error when `ts` is not a non-negative integer or goes backwards.
   */
  onDepth(ts: number, bids: readonly Level[], asks: readonly Level[]): void {
    this.checkTime("onDepth", ts, this.lastDepthTs);
    this.lastDepthTs = ts;
    const snap = this.snapshots++;
    for (let side = 0; side < 2; side++) {
      const levels = side === 0 ? bids : asks;
      for (let k = 0; k < levels.length; k++) {
        const lv = levels[k];
        const o = this.l2.add();
        const d = this.l2.data;
        d[o + L2_TS * C] = ts;
        d[o + L2_SNAP * C] = snap;
        d[o + L2_SIDE * C] = side;
        d[o + L2_LEVEL * C] = k;
        d[o + L2_PRICE * C] = lv.price;
        d[o + L2_SIZE * C] = lv.size;
        d[o + L2_ORDERS * C] = lv.orders;
      }
    }
  }

  /** Rows recorded so far per table. */
  counts(): RecorderCounts {
    return { trades: this.trades.length, orders: this.orders.length, l1: this.l1.length, l2: this.l2.length };
  }

  /**
   * Writes `dir`/trades.arrow, orders.arrow, l1.arrow and l2.arrow (Arrow IPC file format),
   * creating `dir`. Recording can go on afterwards; a later write includes everything.
   * @returns the four paths, in that order.
   */
  async write(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const tables: [string, ColumnSpec[], ChunkedRows][] = [
      ["trades", this.tradeColumns(), this.trades],
      ["orders", this.orderColumns(), this.orders],
      ["l1", this.l1Columns(), this.l1],
      ["l2", this.l2Columns(), this.l2],
    ];
    const paths: string[] = [];
    for (const [name, columns, rows] of tables) {
      const path = join(dir, `${name}.arrow`);
      await writeArrowFile(path, columns, runMetadata(name, this.instrument.spec, this.epochMs), rows);
      paths.push(path);
    }
    return paths;
  }

  /**
   * Forgets everything recorded and hands the row memory back for the next recorder on this
   * thread (see `ChunkedRows`). Call once the files are written; counts are 0 afterwards.
   */
  release(): void {
    for (const t of [this.trades, this.orders, this.l1, this.l2]) t.release();
  }

  // ---------------------------------------------------------------- internals

  private checkTime(what: string, ts: number, last: number): void {
    if (!Number.isSafeInteger(ts) || ts < 0 || ts < last) throw badTime(what, ts, last);
  }

  /** Keeps side, type, tif, post-only and limit price of an accepted order. */
  private remember(id: number, side: number, type: number, tif: number, postOnly: number, price: number): void {
    if (!(Number.isSafeInteger(id) && id > 0 && id < MAX_TRACKED_ORDER_ID)) throw badOrderId(id);
    if (id >= this.info.length) {
      const len = Math.min(MAX_TRACKED_ORDER_ID, Math.max(this.info.length * 2, id + 1));
      const info = new Uint8Array(len);
      info.set(this.info);
      this.info = info;
      const px = new Float64Array(len);
      px.set(this.limitPrice);
      this.limitPrice = px;
    }
    this.info[id] = KNOWN | side | (type << 1) | (tif << 2) | (postOnly << 4);
    this.limitPrice[id] = price;
  }

  /** ts_ns and time, from column `c`. */
  private timeColumns(c: number): ColumnSpec[] {
    return [
      { field: field("ts_ns", new Int64(), false, "ns"), build: (cols, mem) => int64Data("ts_ns", cols[c], 0n, mem) },
      { field: field("time", new TimestampNanosecond("UTC"), false), build: (cols, mem) => timestampData("time", cols[c], this.epochNs, mem) },
    ];
  }

  /** Human price (quote currency) and the integer ticks it came from, in column `c`. */
  private priceColumns(name: string, c: number, nullable: boolean): ColumnSpec[] {
    const inst = this.instrument;
    return [
      { field: field(name, new Float64(), nullable, inst.quote), build: (cols, mem) => float64Data(human(cols[c], (t) => ticksToPrice(inst, t), mem), mem) },
      { field: field(`${name}_ticks`, new Int64(), nullable, "ticks"), build: (cols, mem) => int64Data(`${name}_ticks`, cols[c], 0n, mem) },
    ];
  }

  /** Human size (base currency) and the integer lots it came from, in column `c`. */
  private sizeColumns(name: string, c: number, nullable: boolean): ColumnSpec[] {
    const inst = this.instrument;
    return [
      { field: field(name, new Float64(), nullable, inst.base), build: (cols, mem) => float64Data(human(cols[c], (l) => lotsToAmount(inst, l), mem), mem) },
      { field: field(`${name}_lots`, new Int64(), nullable, "lots"), build: (cols, mem) => int64Data(`${name}_lots`, cols[c], 0n, mem) },
    ];
  }

  private tradeColumns(): ColumnSpec[] {
    const qs = this.instrument.spec.quoteScale;
    const quote = this.instrument.quote;
    const fee = (name: string, c: number): ColumnSpec[] => [
      { field: field(name, new Float64(), false, quote), build: (cols, mem) => float64Data(human(cols[c], (u) => u / qs, mem), mem) },
      { field: field(`${name}_units`, new Int64(), false, `${quote}/${qs}`), build: (cols, mem) => int64Data(`${name}_units`, cols[c], 0n, mem) },
    ];
    return [
      ...this.timeColumns(T_TS),
      int64Column("trade_id", T_ID, false),
      ...this.priceColumns("price", T_PRICE, false),
      ...this.sizeColumns("size", T_SIZE, false),
      int64Column("maker_order_id", T_MAKER_OID, false),
      int64Column("taker_order_id", T_TAKER_OID, false),
      int32Column("maker_account", T_MAKER_ACCT, false),
      int32Column("taker_account", T_TAKER_ACCT, false),
      ...fee("maker_fee", T_MAKER_FEE),
      ...fee("taker_fee", T_TAKER_FEE),
      dictColumn("aggressor", AGGRESSOR, T_AGGRESSOR, false),
    ];
  }

  private orderColumns(): ColumnSpec[] {
    return [
      ...this.timeColumns(O_TS),
      dictColumn("event", EVENT, O_EVENT, false),
      int64Column("order_id", O_ID, true),
      int32Column("account", O_ACCT, false),
      int64Column("client_order_id", O_CLIENT, true),
      dictColumn("side", SIDE, O_SIDE, true),
      dictColumn("order_type", ORDER_TYPE, O_TYPE, true),
      dictColumn("tif", TIF, O_TIF, true),
      { field: field("post_only", new Bool(), true), build: (cols, mem) => boolData(cols[O_POST], mem) },
      ...this.priceColumns("price", O_PRICE, true),
      ...this.sizeColumns("size", O_SIZE, true),
      dictColumn("request", REQUEST, O_REQUEST, true),
      dictColumn("reason", REASON, O_REASON, true),
      { field: field("priority_kept", new Bool(), true), build: (cols, mem) => boolData(cols[O_PRIORITY], mem) },
    ];
  }

  private l1Columns(): ColumnSpec[] {
    return [
      ...this.timeColumns(0),
      ...this.priceColumns("bid_price", 1, true),
      ...this.sizeColumns("bid_size", 2, true),
      ...this.priceColumns("ask_price", 3, true),
      ...this.sizeColumns("ask_size", 4, true),
    ];
  }

  private l2Columns(): ColumnSpec[] {
    return [
      ...this.timeColumns(L2_TS),
      int32Column("snapshot", L2_SNAP, false),
      dictColumn("side", BOOK_SIDE, L2_SIDE, false),
      int32Column("level", L2_LEVEL, false),
      ...this.priceColumns("price", L2_PRICE, false),
      ...this.sizeColumns("size", L2_SIZE, false),
      int32Column("orders", L2_ORDERS, false),
    ];
  }
}

/** NaN-aware equality for the L1 change check. */
function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

function int64Column(name: string, c: number, nullable: boolean): ColumnSpec {
  return { field: field(name, new Int64(), nullable), build: (cols, mem) => int64Data(name, cols[c], 0n, mem) };
}

function int32Column(name: string, c: number, nullable: boolean): ColumnSpec {
  return { field: field(name, new Int32(), nullable), build: (cols, mem) => int32Data(cols[c], mem) };
}

function dictColumn(name: string, dict: StringDict, c: number, nullable: boolean): ColumnSpec {
  return { field: field(name, dict.type, nullable), build: (cols, mem) => dict.data(cols[c], mem) };
}

// The recorder's errors, built in functions of their own, off the hot path: see badAdvance in
// sim/clock.ts.
function badKind(i: number, kind: number): Error {
  return new Error(`recorder.onEvents: event ${i} has unknown kind ${kind}`);
}

function badTime(what: string, ts: number, last: number): Error {
  if (!Number.isSafeInteger(ts) || ts < 0) return new Error(`recorder.${what}: ts ${ts} is not a non-negative integer of ns`);
  return new Error(`recorder.${what}: ts ${ts} goes back from ${last}`);
}

function badOrderId(id: number): Error {
  return new Error(`recorder.onEvents: order id ${id} is not a positive integer below 2^30`);
}
