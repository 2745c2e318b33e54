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

/**
 * Column layout per kind (column 0 = kind, 1 = ts):
 * - accepted: 2 orderId, 3 account, 4 price, 5 size, 6 clientOrderId, 7 side, 8 orderType,
 *   9 tif, 10 postOnly
 * - rejected: 2 orderId, 3 account, 6 clientOrderId, 7 op, 8 reason
 * - trade: 2 tradeId, 3 takerAccount, 4 price, 5 size, 6 makerOrderId, 7 takerOrderId,
 *   8 makerAccount, 9 makerFee, 10 takerFee, 11 aggressor
 * - canceled / expired: 2 orderId, 3 account, 5 remaining, 8 reason
 * - amended: 2 orderId, 3 account, 4 price, 5 size, 8 priorityKept
 * Unused columns are 0, so two logs with the same events have the same bytes.
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
    return this.rows[i * EVENT_STRIDE] as EventKind;
  }

  /** Column `c` of event `i`, for consumers that read without materialising. */
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
    this.rows[o] = kind;
    this.rows[o + 1] = ts;
    this.n++;
    return o;
  }

  accepted(
    ts: number, orderId: number, account: number, clientOrderId: number, side: Side,
    orderType: OrderType, tif: TimeInForce, postOnly: boolean, price: number, size: number,
  ): void {
    const o = this.row(EventKind.ACCEPTED, ts);
    const r = this.rows;
    r[o + 2] = orderId; r[o + 3] = account; r[o + 4] = price; r[o + 5] = size;
    r[o + 6] = clientOrderId; r[o + 7] = side; r[o + 8] = orderType; r[o + 9] = tif;
    r[o + 10] = postOnly ? 1 : 0; r[o + 11] = 0;
  }

  rejected(
    ts: number, orderId: number, account: number, clientOrderId: number, op: RequestOp,
    reason: RejectReason,
  ): void {
    const o = this.row(EventKind.REJECTED, ts);
    const r = this.rows;
    r[o + 2] = orderId; r[o + 3] = account; r[o + 4] = 0; r[o + 5] = 0;
    r[o + 6] = clientOrderId; r[o + 7] = op; r[o + 8] = reason; r[o + 9] = 0; r[o + 10] = 0;
    r[o + 11] = 0;
  }

  trade(
    ts: number, tradeId: number, price: number, size: number, makerOrderId: number,
    takerOrderId: number, makerAccount: number, takerAccount: number, makerFee: number,
    takerFee: number, aggressor: Side,
  ): void {
    const o = this.row(EventKind.TRADE, ts);
    const r = this.rows;
    r[o + 2] = tradeId; r[o + 3] = takerAccount; r[o + 4] = price; r[o + 5] = size;
    r[o + 6] = makerOrderId; r[o + 7] = takerOrderId; r[o + 8] = makerAccount;
    r[o + 9] = makerFee; r[o + 10] = takerFee; r[o + 11] = aggressor;
  }

  canceled(ts: number, orderId: number, account: number, remaining: number, reason: EndReason): void {
    const o = this.row(EventKind.CANCELED, ts);
    const r = this.rows;
    r[o + 2] = orderId; r[o + 3] = account; r[o + 4] = 0; r[o + 5] = remaining; r[o + 6] = 0;
    r[o + 7] = 0; r[o + 8] = reason; r[o + 9] = 0; r[o + 10] = 0; r[o + 11] = 0;
  }

  amended(
    ts: number, orderId: number, account: number, price: number, size: number,
    priorityKept: boolean,
  ): void {
    const o = this.row(EventKind.AMENDED, ts);
    const r = this.rows;
    r[o + 2] = orderId; r[o + 3] = account; r[o + 4] = price; r[o + 5] = size; r[o + 6] = 0;
    r[o + 7] = 0; r[o + 8] = priorityKept ? 1 : 0; r[o + 9] = 0; r[o + 10] = 0; r[o + 11] = 0;
  }

  expired(ts: number, orderId: number, account: number, remaining: number, reason: EndReason): void {
    const o = this.row(EventKind.EXPIRED, ts);
    const r = this.rows;
    r[o + 2] = orderId; r[o + 3] = account; r[o + 4] = 0; r[o + 5] = remaining; r[o + 6] = 0;
    r[o + 7] = 0; r[o + 8] = reason; r[o + 9] = 0; r[o + 10] = 0; r[o + 11] = 0;
  }
}

/** Row `i` of a row-major event array as a tagged-union object. */
export function decodeEvent(r: Float64Array, i: number): EngineEvent {
  const o = i * EVENT_STRIDE;
  const ts = r[o + 1];
  switch (r[o] as EventKind) {
    case EventKind.ACCEPTED:
      return {
        type: "accepted", ts, orderId: r[o + 2], account: r[o + 3], price: r[o + 4],
        size: r[o + 5], clientOrderId: r[o + 6], side: r[o + 7] as Side,
        orderType: r[o + 8] as OrderType, tif: r[o + 9] as TimeInForce, postOnly: r[o + 10] === 1,
      };
    case EventKind.REJECTED:
      return {
        type: "rejected", ts, orderId: r[o + 2], account: r[o + 3], clientOrderId: r[o + 6],
        op: r[o + 7] as RequestOp, reason: r[o + 8] as RejectReason,
      };
    case EventKind.TRADE:
      return {
        type: "trade", ts, tradeId: r[o + 2], takerAccount: r[o + 3], price: r[o + 4],
        size: r[o + 5], makerOrderId: r[o + 6], takerOrderId: r[o + 7], makerAccount: r[o + 8],
        makerFee: r[o + 9], takerFee: r[o + 10], aggressor: r[o + 11] as Side,
      };
    case EventKind.CANCELED:
      return {
        type: "canceled", ts, orderId: r[o + 2], account: r[o + 3], remaining: r[o + 5],
        reason: r[o + 8] as EndReason,
      };
    case EventKind.AMENDED:
      return {
        type: "amended", ts, orderId: r[o + 2], account: r[o + 3], price: r[o + 4],
        size: r[o + 5], priorityKept: r[o + 8] === 1,
      };
    case EventKind.EXPIRED:
      return {
        type: "expired", ts, orderId: r[o + 2], account: r[o + 3], remaining: r[o + 5],
        reason: r[o + 8] as EndReason,
      };
    default:
      throw new Error(`event ${i}: unknown kind ${r[o]}`);
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
