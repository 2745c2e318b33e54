// Row-major, allocation-free event log: the engine's standard EventSink and the digest's input.
import {
  EventKind,
  type EndReason,
  type EngineEvent,
  type EventSink,
  type OrderType,
  type RejectReason,
  type RequestOp,
  type Side,
  type TimeInForce,
} from "./types.ts";

/** Float64 fields per event. Every event is one fixed-size row, so bytes are canonical. */
export const EVENT_STRIDE = 12;

/** Columns every row has: what happened, and when (venue time, ns). */
export const Col = { KIND: 0, TS: 1 } as const;

/** Columns of an `accepted` row. */
export const AcceptedCol = {
  ORDER_ID: 2, ACCOUNT: 3, PRICE: 4, SIZE: 5, CLIENT_ORDER_ID: 6, SIDE: 7, ORDER_TYPE: 8, TIF: 9,
  POST_ONLY: 10,
} as const;

/** Columns of a `rejected` row. */
export const RejectedCol = { ORDER_ID: 2, ACCOUNT: 3, CLIENT_ORDER_ID: 6, OP: 7, REASON: 8 } as const;

/** Columns of a `trade` row. Column 3 is the taker's account, where other rows keep theirs. */
export const TradeCol = {
  TRADE_ID: 2, TAKER_ACCOUNT: 3, PRICE: 4, SIZE: 5, MAKER_ORDER_ID: 6, TAKER_ORDER_ID: 7,
  MAKER_ACCOUNT: 8, MAKER_FEE: 9, TAKER_FEE: 10, AGGRESSOR: 11,
} as const;

/** Columns of a `canceled` or `expired` row: the order left the book with `REMAINING` lots. */
export const EndedCol = { ORDER_ID: 2, ACCOUNT: 3, REMAINING: 5, REASON: 8 } as const;

/** Columns of an `amended` row: `SIZE` is the new open size. */
export const AmendedCol = { ORDER_ID: 2, ACCOUNT: 3, PRICE: 4, SIZE: 5, PRIORITY_KEPT: 8 } as const;

/**
 * Columns every row but a trade has: the order it is about and that order's account (a
 * trade keeps its taker's account in the same column, `TradeCol.TAKER_ACCOUNT`).
 */
export const OrderCol = { ORDER_ID: 2, ACCOUNT: 3 } as const;

/**
 * The log: one row of `EVENT_STRIDE` floats per event, laid out by kind as the column
 * constants above say. Columns a kind does not use are 0, so two logs with the same events
 * have the same bytes.
 */
export class EventLog implements EventSink {
  private rows: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1 << 14) {
    this.rows = new Float64Array(Math.max(16, initialCapacity) * EVENT_STRIDE);
  }

  /** Events written since the last `clear()`. */
  get size(): number {
    return this.n;
  }

  /** Forgets the stored events (after a consumer has taken them); keeps the memory. */
  clear(): void {
    this.n = 0;
  }

  /**
   * The array rows are written to now (row `i` at float offset `i * EVENT_STRIDE`). It is
   * replaced when the log grows or is switched; a replaced array keeps the rows it held.
   */
  get buffer(): Float64Array {
    return this.rows;
  }

  /**
   * Forgets the stored events and writes the next ones into `rows`, leaving the current array
   * untouched for readers that still hold it (messages in flight that point into it).
   */
  clearInto(rows: Float64Array): void {
    if (rows.length < 16 * EVENT_STRIDE || rows.length % EVENT_STRIDE !== 0) throw new RangeError(`clearInto: ${rows.length} floats is not a whole number of at least 16 rows`);
    this.rows = rows;
    this.n = 0;
  }

  /** Raw rows [from, to) as bytes, for hashing and recording. A view: copy to keep. */
  bytes(from = 0, to = this.n): Uint8Array {
    return new Uint8Array(this.rows.buffer, from * EVENT_STRIDE * 8, (to - from) * EVENT_STRIDE * 8);
  }

  /** Kind of event `i`. */
  kind(i: number): EventKind {
    return this.rows[i * EVENT_STRIDE + Col.KIND] as EventKind;
  }

  /** Column `c` of event `i` (see the column constants), for consumers that read without materialising. */
  field(i: number, c: number): number {
    return this.rows[i * EVENT_STRIDE + c];
  }

  /** Event `i` as a readonly tagged-union object (allocates; not for the hot path). */
  get(i: number): EngineEvent {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`event index ${i} outside [0, ${this.n})`);
    return decodeEvent(this.rows, i);
  }

  /** Starts a row and returns its offset, growing the buffer when full. Each writer sets
   * all columns 2..11 (0 where unused), which is cheaper than clearing the row first. */
  private row(kind: EventKind, ts: number): number {
    if ((this.n + 1) * EVENT_STRIDE > this.rows.length) {
      const bigger = new Float64Array(this.rows.length * 2);
      bigger.set(this.rows);
      this.rows = bigger;
    }
    const o = this.n * EVENT_STRIDE;
    this.rows[o + Col.KIND] = kind;
    this.rows[o + Col.TS] = ts;
    this.n++;
    return o;
  }

  accepted(
    ts: number, orderId: number, account: number, clientOrderId: number, side: Side,
    orderType: OrderType, tif: TimeInForce, postOnly: boolean, price: number, size: number,
  ): void {
    const o = this.row(EventKind.ACCEPTED, ts);
    const r = this.rows;
    const C = AcceptedCol;
    r[o + C.ORDER_ID] = orderId; r[o + C.ACCOUNT] = account; r[o + C.PRICE] = price; r[o + C.SIZE] = size;
    r[o + C.CLIENT_ORDER_ID] = clientOrderId; r[o + C.SIDE] = side; r[o + C.ORDER_TYPE] = orderType;
    r[o + C.TIF] = tif; r[o + C.POST_ONLY] = postOnly ? 1 : 0;
    r[o + 11] = 0; // unused
  }

  rejected(
    ts: number, orderId: number, account: number, clientOrderId: number, op: RequestOp,
    reason: RejectReason,
  ): void {
    const o = this.row(EventKind.REJECTED, ts);
    const r = this.rows;
    const C = RejectedCol;
    r[o + C.ORDER_ID] = orderId; r[o + C.ACCOUNT] = account; r[o + C.CLIENT_ORDER_ID] = clientOrderId;
    r[o + C.OP] = op; r[o + C.REASON] = reason;
    r[o + 4] = 0; r[o + 5] = 0; r[o + 9] = 0; r[o + 10] = 0; r[o + 11] = 0; // unused
  }

  trade(
    ts: number, tradeId: number, price: number, size: number, makerOrderId: number,
    takerOrderId: number, makerAccount: number, takerAccount: number, makerFee: number,
    takerFee: number, aggressor: Side,
  ): void {
    const o = this.row(EventKind.TRADE, ts);
    const r = this.rows;
    const C = TradeCol;
    r[o + C.TRADE_ID] = tradeId; r[o + C.TAKER_ACCOUNT] = takerAccount; r[o + C.PRICE] = price; r[o + C.SIZE] = size;
    r[o + C.MAKER_ORDER_ID] = makerOrderId; r[o + C.TAKER_ORDER_ID] = takerOrderId; r[o + C.MAKER_ACCOUNT] = makerAccount;
    r[o + C.MAKER_FEE] = makerFee; r[o + C.TAKER_FEE] = takerFee; r[o + C.AGGRESSOR] = aggressor;
  }

  canceled(ts: number, orderId: number, account: number, remaining: number, reason: EndReason): void {
    this.ended(this.row(EventKind.CANCELED, ts), orderId, account, remaining, reason);
  }

  amended(
    ts: number, orderId: number, account: number, price: number, size: number,
    priorityKept: boolean,
  ): void {
    const o = this.row(EventKind.AMENDED, ts);
    const r = this.rows;
    const C = AmendedCol;
    r[o + C.ORDER_ID] = orderId; r[o + C.ACCOUNT] = account; r[o + C.PRICE] = price; r[o + C.SIZE] = size;
    r[o + C.PRIORITY_KEPT] = priorityKept ? 1 : 0;
    r[o + 6] = 0; r[o + 7] = 0; r[o + 9] = 0; r[o + 10] = 0; r[o + 11] = 0; // unused
  }

  expired(ts: number, orderId: number, account: number, remaining: number, reason: EndReason): void {
    this.ended(this.row(EventKind.EXPIRED, ts), orderId, account, remaining, reason);
  }

  /** The columns of a canceled or expired row at offset `o`. */
  private ended(o: number, orderId: number, account: number, remaining: number, reason: EndReason): void {
    const r = this.rows;
    const C = EndedCol;
    r[o + C.ORDER_ID] = orderId; r[o + C.ACCOUNT] = account; r[o + C.REMAINING] = remaining; r[o + C.REASON] = reason;
    r[o + 4] = 0; r[o + 6] = 0; r[o + 7] = 0; r[o + 9] = 0; r[o + 10] = 0; r[o + 11] = 0; // unused
  }
}

/** Row `i` of a row-major event array as a tagged-union object. */
export function decodeEvent(r: Float64Array, i: number): EngineEvent {
  const o = i * EVENT_STRIDE;
  const ts = r[o + Col.TS];
  switch (r[o + Col.KIND] as EventKind) {
    case EventKind.ACCEPTED: {
      const C = AcceptedCol;
      return {
        type: "accepted", ts, orderId: r[o + C.ORDER_ID], account: r[o + C.ACCOUNT], price: r[o + C.PRICE],
        size: r[o + C.SIZE], clientOrderId: r[o + C.CLIENT_ORDER_ID], side: r[o + C.SIDE] as Side,
        orderType: r[o + C.ORDER_TYPE] as OrderType, tif: r[o + C.TIF] as TimeInForce, postOnly: r[o + C.POST_ONLY] === 1,
      };
    }
    case EventKind.REJECTED: {
      const C = RejectedCol;
      return {
        type: "rejected", ts, orderId: r[o + C.ORDER_ID], account: r[o + C.ACCOUNT], clientOrderId: r[o + C.CLIENT_ORDER_ID],
        op: r[o + C.OP] as RequestOp, reason: r[o + C.REASON] as RejectReason,
      };
    }
    case EventKind.TRADE: {
      const C = TradeCol;
      return {
        type: "trade", ts, tradeId: r[o + C.TRADE_ID], takerAccount: r[o + C.TAKER_ACCOUNT], price: r[o + C.PRICE],
        size: r[o + C.SIZE], makerOrderId: r[o + C.MAKER_ORDER_ID], takerOrderId: r[o + C.TAKER_ORDER_ID],
        makerAccount: r[o + C.MAKER_ACCOUNT], makerFee: r[o + C.MAKER_FEE], takerFee: r[o + C.TAKER_FEE],
        aggressor: r[o + C.AGGRESSOR] as Side,
      };
    }
    case EventKind.CANCELED:
    case EventKind.EXPIRED: {
      const C = EndedCol;
      return {
        type: r[o + Col.KIND] === EventKind.CANCELED ? "canceled" : "expired", ts, orderId: r[o + C.ORDER_ID],
        account: r[o + C.ACCOUNT], remaining: r[o + C.REMAINING], reason: r[o + C.REASON] as EndReason,
      };
    }
    case EventKind.AMENDED: {
      const C = AmendedCol;
      return {
        type: "amended", ts, orderId: r[o + C.ORDER_ID], account: r[o + C.ACCOUNT], price: r[o + C.PRICE],
        size: r[o + C.SIZE], priorityKept: r[o + C.PRIORITY_KEPT] === 1,
      };
    }
    default:
      throw new Error(`event ${i}: unknown kind ${r[o + Col.KIND]}`);
  }
}

/**
 * The error of an observer handed rows outside the log. Built in a function of its own, off
 * the hot path: TurboFan may merge the number-to-string conversions of two throw paths into
 * one and compute it on every call.
 */
export function badRows(who: string, from: number, to: number, size: number): RangeError {
  return new RangeError(`${who}.onEvents: rows [${from}, ${to}) outside the log's [0, ${size})`);
}
