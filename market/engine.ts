// The limit order book and matching engine: price-time priority over integer ticks and lots.
import { numberArray } from "./array-kinds.ts";
import { IdIndex } from "./id-index.ts";
import { feeOf, type Instrument } from "./instrument.ts";
import { PriceTable } from "./price-table.ts";
import { Asset, type Ledger } from "./ledger.ts";
import {
  EndReason,
  OrderType,
  RejectReason,
  RequestOp,
  SelfTradePrevention,
  Side,
  TimeInForce,
  type EventSink,
} from "./types.ts";

export interface EngineOptions {
  /** What to do when an order would match its own account's resting order. */
  readonly stp?: SelfTradePrevention;
  /** Initial order-slot capacity; grows by doubling. */
  readonly initialOrders?: number;
}

/** Best prices and sizes. Prices in ticks, sizes in lots; 0 when that side is empty. */
export interface TopOfBook {
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

/** A TopOfBook a caller lets `readTop` overwrite. */
export type MutableTop = { -readonly [K in keyof TopOfBook]: TopOfBook[K] };

/** One aggregated price level. */
export interface Level {
  readonly price: number;
  readonly size: number;
  readonly orders: number;
}

/** One resting order, as seen in an L3 snapshot or an order lookup. */
export interface RestingOrder {
  readonly orderId: number;
  readonly account: number;
  readonly clientOrderId: number;
  readonly side: Side;
  readonly price: number;
  /** Open size in lots. */
  readonly remaining: number;
  readonly postOnly: boolean;
}

const NONE = -1;
const FLAG_POST_ONLY = 1;
const FLAG_MARKET = 2;

/** Why a taker stopped before its size was done. */
const STOP_NONE = 0;
const STOP_SELF_TRADE = 1;
const STOP_BALANCE = 2;

/** How `close` reports an order that leaves the book. */
const QUIET = 0;
const AS_CANCELED = 1;
const AS_EXPIRED = 2;

/**
 * A single-instrument central limit order book with accounts.
 *
 * Orders and price levels live in typed arrays (struct of arrays) recycled through free
 * lists, each level a doubly linked FIFO of orders, so the hot path allocates nothing and
 * cancel/amend are O(1): no scan of a level. Empty levels away from the best price are left
 * in place and reclaimed lazily, which keeps cancel O(1) too.
 *
 * Funds: a resting buy reserves price × size plus the larger of the two fees on it; a sell
 * reserves its base. After every fill the buy reservation is recomputed for what is left,
 * so it never drifts. Fees are charged in the quote asset, rounded down to the quote unit.
 *
 * Requests the venue refuses are values (a `rejected` event and a 0/false return, reason in
 * `lastReject`) and change nothing. Misuse of the API itself (an unknown enum, a time that is
 * not a non-negative number) throws, naming the argument and value.
 */
export class MatchingEngine {
  readonly instrument: Instrument;
  private readonly ledger: Ledger;
  private readonly sink: EventSink;
  private readonly stp: SelfTradePrevention;
  private readonly qpt: number;
  private readonly bpl: number;
  private readonly maxFeePpm: number;
  private readonly makerPpm: number;
  private readonly takerPpm: number;
  private readonly minNotional: number;
  /** Reservation computed by `checkSubmit` for the order it just approved. */
  private approvedReserve = 0;

  // Orders, struct of arrays indexed by slot.
  private cap: number;
  private oId: Float64Array;
  private oAcct: Int32Array;
  private oSide: Uint8Array;
  private oFlags: Uint8Array;
  private oPrice: Float64Array;
  private oRem: Float64Array;
  private oRes: Float64Array;
  private oClient: Float64Array;
  private oNext: Int32Array;
  private oPrev: Int32Array;
  private oLevel: Int32Array;
  private freeSlots: Int32Array;
  private freeTop = 0;
  private used = 0;
  private readonly idToSlot = new IdIndex();
  private readonly clientIds: (Map<number, number> | undefined)[] = [];

  // Levels, struct of arrays indexed by level id.
  private lvCap = 256;
  private lvPrice = new Float64Array(256);
  private lvHead = new Int32Array(256);
  private lvTail = new Int32Array(256);
  private lvQty = new Float64Array(256);
  private lvCount = new Int32Array(256);
  private lvFree = new Int32Array(256);
  private lvFreeTop = 0;
  private lvUsed = 0;

  // Per side: price → level, and prices sorted so the best is last (bids ascending, asks
  // descending) with the level ids alongside.
  private readonly levelOf: [PriceTable, PriceTable] = [new PriceTable(), new PriceTable()];
  private readonly prices: [number[], number[]] = [numberArray(), numberArray()];
  private readonly levels: [number[], number[]] = [[], []];
  // A typed array: a [0, 0] literal shares its elements with the literal until first written,
  // and code compiled after that write is thrown away when the next run's engine writes.
  private readonly emptyLevels = new Int32Array(2);

  private nextOrderId = 1;
  private nextTradeId = 1;
  /** The reason of the last refused request, or 0. */
  lastReject: RejectReason | 0 = 0;

  constructor(instrument: Instrument, ledger: Ledger, sink: EventSink, options: EngineOptions = {}) {
    this.instrument = instrument;
    this.ledger = ledger;
    this.sink = sink;
    const stp = options.stp ?? SelfTradePrevention.CANCEL_RESTING;
    if (stp !== 0 && stp !== 1 && stp !== 2) throw new Error(`options.stp: ${stp} is not a SelfTradePrevention`);
    this.stp = stp;
    this.qpt = instrument.quoteUnitsPerTickLot;
    this.bpl = instrument.baseUnitsPerLot;
    this.maxFeePpm = Math.max(instrument.makerFeePpm, instrument.takerFeePpm);
    this.makerPpm = instrument.makerFeePpm;
    this.takerPpm = instrument.takerFeePpm;
    this.minNotional = instrument.minNotionalUnits;
    const cap = Math.max(16, options.initialOrders ?? 1024);
    this.cap = cap;
    this.oId = new Float64Array(cap);
    this.oAcct = new Int32Array(cap);
    this.oSide = new Uint8Array(cap);
    this.oFlags = new Uint8Array(cap);
    this.oPrice = new Float64Array(cap);
    this.oRem = new Float64Array(cap);
    this.oRes = new Float64Array(cap);
    this.oClient = new Float64Array(cap);
    this.oNext = new Int32Array(cap);
    this.oPrev = new Int32Array(cap);
    this.oLevel = new Int32Array(cap);
    this.freeSlots = new Int32Array(cap);
  }

  // ---------------------------------------------------------------- requests

  /**
   * Submits an order. Prices in ticks (ignored for market orders), sizes in lots,
   * `clientOrderId` a positive number unique among the account's open orders, or 0 for none.
   * @returns the new order id (> 0) when accepted, 0 when rejected (see `lastReject`).
   * @throws Error when `ts`, `side`, `orderType` or `tif` is not a valid value.
   */
  submit(
    ts: number, account: number, side: Side, orderType: OrderType, tif: TimeInForce,
    postOnly: boolean, price: number, size: number, clientOrderId = 0,
  ): number {
    if (!(ts >= 0 && ts <= Number.MAX_SAFE_INTEGER) || (side !== 0 && side !== 1) || (orderType !== 0 && orderType !== 1) || (tif !== 0 && tif !== 1 && tif !== 2)) {
      throw badSubmit(ts, side, orderType, tif);
    }
    const market = orderType === OrderType.MARKET;
    const reason = this.checkSubmit(account, side, market, postOnly, price, size, clientOrderId);
    if (reason !== 0) {
      this.lastReject = reason;
      this.sink.rejected(ts, 0, account, clientOrderId, RequestOp.SUBMIT, reason);
      return 0;
    }
    this.lastReject = 0;
    const s = this.allocSlot();
    const id = this.nextOrderId++;
    if (id > 0xffffffff) throw new Error("submit: this engine has issued 2^32 order ids, its limit");
    this.oId[s] = id;
    this.oAcct[s] = account;
    this.oSide[s] = side;
    this.oFlags[s] = (postOnly ? FLAG_POST_ONLY : 0) | (market ? FLAG_MARKET : 0);
    this.oPrice[s] = market ? 0 : price;
    this.oRem[s] = size;
    this.oClient[s] = clientOrderId;
    this.oLevel[s] = NONE;
    this.idToSlot.set(id, s);
    if (clientOrderId !== 0) this.clientMap(account).set(clientOrderId, id);
    // Market orders pay from free balances as they fill; limit orders reserve up front.
    const r = this.approvedReserve;
    this.oRes[s] = r;
    if (r > 0) this.ledger.lock(account, side === Side.BUY ? Asset.QUOTE : Asset.BASE, r);
    this.sink.accepted(ts, id, account, clientOrderId, side, orderType, tif, postOnly, market ? 0 : price, size);
    if (tif === TimeInForce.FOK && !this.fokFillable(s)) {
      this.close(s, ts, EndReason.FOK_UNFILLABLE, AS_EXPIRED);
      return id;
    }
    this.execute(s, ts, market ? TimeInForce.IOC : tif);
    return id;
  }

  /** Limit GTC order: the common case. Same returns as `submit`. */
  limit(ts: number, account: number, side: Side, price: number, size: number, clientOrderId = 0): number {
    return this.submit(ts, account, side, OrderType.LIMIT, TimeInForce.GTC, false, price, size, clientOrderId);
  }

  /** Market order (IOC). Same returns as `submit`. */
  market(ts: number, account: number, side: Side, size: number, clientOrderId = 0): number {
    return this.submit(ts, account, side, OrderType.MARKET, TimeInForce.IOC, false, 0, size, clientOrderId);
  }

  /**
   * Cancels an open order of `account`. O(1).
   * @returns true when canceled; false when rejected (unknown_order, order_closed).
   */
  cancel(ts: number, account: number, orderId: number): boolean {
    if (!(ts >= 0 && ts <= Number.MAX_SAFE_INTEGER)) throw badTime("cancel", ts);
    const s = this.idToSlot.get(orderId);
    if (s === NONE || this.oAcct[s] !== account) {
      return this.refuse(ts, orderId, account, RequestOp.CANCEL, this.missingReason(orderId, s));
    }
    this.lastReject = 0;
    this.unlink(s);
    this.close(s, ts, EndReason.USER, AS_CANCELED);
    return true;
  }

  /**
   * Changes an open order's price and/or open size (lots). Reducing the size at the same
   * price keeps the order's place in the queue; any other change sends it to the back of
   * the queue at its (new) price, where it may match like a new order (unless post-only,
   * which is refused if it would cross).
   * @returns true when amended; false when rejected (state unchanged).
   */
  amend(ts: number, account: number, orderId: number, newPrice: number, newSize: number): boolean {
    if (!(ts >= 0 && ts <= Number.MAX_SAFE_INTEGER)) throw badTime("amend", ts);
    const s = this.idToSlot.get(orderId);
    if (s === NONE || this.oAcct[s] !== account) {
      return this.refuse(ts, orderId, account, RequestOp.AMEND, this.missingReason(orderId, s));
    }
    const side = this.oSide[s] as Side;
    const reason = this.checkAmend(s, side, newPrice, newSize);
    if (reason !== 0) return this.refuse(ts, orderId, account, RequestOp.AMEND, reason);
    this.lastReject = 0;
    const oldPrice = this.oPrice[s];
    const oldRem = this.oRem[s];
    if (newPrice === oldPrice && newSize <= oldRem) {
      const lv = this.oLevel[s];
      this.lvQty[lv] -= oldRem - newSize;
      this.oRem[s] = newSize;
      this.rebalanceReserve(s, account, side);
      this.sink.amended(ts, orderId, account, newPrice, newSize, true);
      return true;
    }
    this.unlink(s);
    this.oPrice[s] = newPrice;
    this.oRem[s] = newSize;
    this.rebalanceReserve(s, account, side);
    this.sink.amended(ts, orderId, account, newPrice, newSize, false);
    this.execute(s, ts, TimeInForce.GTC);
    return true;
  }

  // ---------------------------------------------------------------- views

  /** Best bid in ticks, 0 when there is none. */
  bestBid(): number {
    const p = this.prices[Side.BUY];
    return p.length === 0 ? 0 : p[p.length - 1];
  }

  /** Best ask in ticks, 0 when there is none. */
  bestAsk(): number {
    const p = this.prices[Side.SELL];
    return p.length === 0 ? 0 : p[p.length - 1];
  }

  /** The top of book written into `out` (no allocation): for callers that ask on every request. */
  readTop(out: MutableTop): void {
    const b = this.levels[Side.BUY];
    const a = this.levels[Side.SELL];
    const bl = b.length === 0 ? NONE : b[b.length - 1];
    const al = a.length === 0 ? NONE : a[a.length - 1];
    out.bidPrice = bl === NONE ? 0 : this.lvPrice[bl];
    out.bidSize = bl === NONE ? 0 : this.lvQty[bl];
    out.askPrice = al === NONE ? 0 : this.lvPrice[al];
    out.askSize = al === NONE ? 0 : this.lvQty[al];
  }

  top(): TopOfBook {
    const t = { bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0 };
    this.readTop(t);
    return t;
  }

  /** Aggregated depth of one side, best first, up to `maxLevels` non-empty levels. */
  depth(side: Side, maxLevels = Infinity): Level[] {
    const out: Level[] = [];
    const lvs = this.levels[side];
    for (let i = lvs.length - 1; i >= 0 && out.length < maxLevels; i--) {
      const lv = lvs[i];
      if (this.lvCount[lv] > 0) out.push({ price: this.lvPrice[lv], size: this.lvQty[lv], orders: this.lvCount[lv] });
    }
    return out;
  }

  /** Every resting order of one side, best price first and FIFO within a price. */
  l3(side: Side): RestingOrder[] {
    const out: RestingOrder[] = [];
    const lvs = this.levels[side];
    for (let i = lvs.length - 1; i >= 0; i--) {
      for (let s = this.lvHead[lvs[i]]; s !== NONE; s = this.oNext[s]) out.push(this.view(s));
    }
    return out;
  }

  /** An open order by id, or undefined once it has left the book. */
  order(orderId: number): RestingOrder | undefined {
    const s = this.idToSlot.get(orderId);
    return s === NONE ? undefined : this.view(s);
  }

  /** Open orders of an account, in order of acceptance. */
  openOrders(account: number): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const s of this.idToSlot.slots()) if (this.oAcct[s] === account) out.push(this.view(s));
    return out;
  }

  /** Number of resting orders. */
  get openOrderCount(): number {
    return this.idToSlot.size;
  }

  /** Quote units a resting order currently holds in reserve (base units for sells). */
  reservedFor(orderId: number): number {
    const s = this.idToSlot.get(orderId);
    return s === NONE ? 0 : this.oRes[s];
  }

  /**
   * Checks every internal invariant (links, level totals, sorted prices, reservations
   * matching the ledger's locked balances). For tests; O(book).
   * @throws Error describing the first broken invariant.
   */
  assertConsistent(): void {
    const lockedQuote = new Map<number, number>();
    const lockedBase = new Map<number, number>();
    let seen = 0;
    for (const side of [Side.BUY, Side.SELL] as const) {
      const ps = this.prices[side];
      const lvs = this.levels[side];
      if (ps.length !== lvs.length) throw new Error(`side ${side}: prices/levels length differ`);
      for (let i = 0; i < ps.length; i++) {
        const lv = lvs[i];
        if (this.lvPrice[lv] !== ps[i]) throw new Error(`level ${lv}: price ${this.lvPrice[lv]} != ${ps[i]}`);
        if (this.levelOf[side].get(ps[i]) !== lv) throw new Error(`level map out of sync at ${ps[i]}`);
        if (i > 0 && (side === Side.BUY ? ps[i] <= ps[i - 1] : ps[i] >= ps[i - 1])) {
          throw new Error(`side ${side}: prices not sorted at ${i}`);
        }
        let qty = 0;
        let count = 0;
        let prev = NONE;
        for (let s = this.lvHead[lv]; s !== NONE; s = this.oNext[s]) {
          if (this.oPrev[s] !== prev) throw new Error(`order ${this.oId[s]}: broken prev link`);
          if (this.oLevel[s] !== lv || this.oPrice[s] !== ps[i] || this.oSide[s] !== side) {
            throw new Error(`order ${this.oId[s]}: wrong level/price/side`);
          }
          if (!(this.oRem[s] > 0)) throw new Error(`order ${this.oId[s]}: non-positive remaining`);
          const want = side === Side.BUY ? this.buyReserve(this.oPrice[s], this.oRem[s]) : this.oRem[s] * this.bpl;
          if (this.oRes[s] !== want) throw new Error(`order ${this.oId[s]}: reserve ${this.oRes[s]} != ${want}`);
          const m = side === Side.BUY ? lockedQuote : lockedBase;
          m.set(this.oAcct[s], (m.get(this.oAcct[s]) ?? 0) + this.oRes[s]);
          qty += this.oRem[s];
          count++;
          prev = s;
          seen++;
        }
        if (this.lvTail[lv] !== prev) throw new Error(`level ${ps[i]}: tail mismatch`);
        if (qty !== this.lvQty[lv] || count !== this.lvCount[lv]) throw new Error(`level ${ps[i]}: totals mismatch`);
        if (i === ps.length - 1 && count === 0) throw new Error(`side ${side}: best level is empty`);
      }
    }
    if (seen !== this.idToSlot.size) throw new Error(`${this.idToSlot.size} open ids but ${seen} resting orders`);
    const bb = this.bestBid();
    const ba = this.bestAsk();
    if (bb !== 0 && ba !== 0 && bb >= ba) throw new Error(`book crossed: bid ${bb} >= ask ${ba}`);
    for (let a = 0; a < this.ledger.accounts; a++) {
      if (this.ledger.lockedOf(a, Asset.QUOTE) !== (lockedQuote.get(a) ?? 0)) throw new Error(`account ${a}: locked quote mismatch`);
      if (this.ledger.lockedOf(a, Asset.BASE) !== (lockedBase.get(a) ?? 0)) throw new Error(`account ${a}: locked base mismatch`);
      if (this.ledger.freeOf(a, Asset.QUOTE) < 0 || this.ledger.freeOf(a, Asset.BASE) < 0) throw new Error(`account ${a}: negative balance`);
    }
  }

  // ---------------------------------------------------------------- validation

  private checkSubmit(
    account: number, side: Side, market: boolean, postOnly: boolean, price: number, size: number,
    clientOrderId: number,
  ): RejectReason | 0 {
    if (!this.ledger.has(account)) return RejectReason.UNKNOWN_ACCOUNT;
    if (!Number.isSafeInteger(size) || size <= 0) return RejectReason.INVALID_SIZE;
    if (market && postOnly) return RejectReason.INVALID_ORDER;
    if (clientOrderId !== 0) {
      if (!Number.isSafeInteger(clientOrderId) || clientOrderId < 0) return RejectReason.INVALID_ORDER;
      if (this.clientIds[account]?.has(clientOrderId)) return RejectReason.DUPLICATE_CLIENT_ORDER_ID;
    }
    if (market) {
      // Min notional of a market order is judged at the best opposite price, as exchanges do
      // with their reference price; with no opposite side the order simply finds no liquidity.
      const ref = side === Side.BUY ? this.bestAsk() : this.bestBid();
      if (ref !== 0) {
        const n = ref * size * this.qpt;
        if (!Number.isSafeInteger(n)) return RejectReason.NOTIONAL_TOO_LARGE;
        if (n < this.minNotional) return RejectReason.MIN_NOTIONAL;
      }
      if (side === Side.SELL && this.ledger.freeOf(account, Asset.BASE) < size * this.bpl) {
        return RejectReason.INSUFFICIENT_BALANCE;
      }
      if (side === Side.BUY && this.ledger.freeOf(account, Asset.QUOTE) <= 0) return RejectReason.INSUFFICIENT_BALANCE;
      this.approvedReserve = 0;
      return 0;
    }
    if (!Number.isSafeInteger(price) || price <= 0) return RejectReason.INVALID_PRICE;
    const notional = price * size * this.qpt;
    const buyReserve = notional + feeOf(notional, this.maxFeePpm);
    if (!Number.isSafeInteger(buyReserve)) return RejectReason.NOTIONAL_TOO_LARGE;
    if (notional < this.minNotional) return RejectReason.MIN_NOTIONAL;
    if (postOnly && this.wouldCross(side, price)) return RejectReason.POST_ONLY_WOULD_CROSS;
    if (side === Side.BUY) {
      if (this.ledger.freeOf(account, Asset.QUOTE) < buyReserve) return RejectReason.INSUFFICIENT_BALANCE;
      this.approvedReserve = buyReserve;
    } else {
      const baseReserve = size * this.bpl;
      if (this.ledger.freeOf(account, Asset.BASE) < baseReserve) return RejectReason.INSUFFICIENT_BALANCE;
      this.approvedReserve = baseReserve;
    }
    return 0;
  }

  private checkAmend(s: number, side: Side, price: number, size: number): RejectReason | 0 {
    if (!Number.isSafeInteger(price) || price <= 0) return RejectReason.INVALID_PRICE;
    if (!Number.isSafeInteger(size) || size <= 0) return RejectReason.INVALID_SIZE;
    const notional = price * size * this.qpt;
    if (!Number.isSafeInteger(notional + feeOf(notional, this.maxFeePpm))) return RejectReason.NOTIONAL_TOO_LARGE;
    if (notional < this.minNotional) return RejectReason.MIN_NOTIONAL;
    if ((this.oFlags[s] & FLAG_POST_ONLY) !== 0 && price !== this.oPrice[s] && this.wouldCross(side, price)) {
      return RejectReason.POST_ONLY_WOULD_CROSS;
    }
    const acct = this.oAcct[s];
    if (side === Side.BUY) {
      if (this.ledger.freeOf(acct, Asset.QUOTE) + this.oRes[s] < this.buyReserve(price, size)) return RejectReason.INSUFFICIENT_BALANCE;
    } else if (this.ledger.freeOf(acct, Asset.BASE) + this.oRes[s] < size * this.bpl) {
      return RejectReason.INSUFFICIENT_BALANCE;
    }
    return 0;
  }

  private wouldCross(side: Side, price: number): boolean {
    if (side === Side.BUY) {
      const a = this.bestAsk();
      return a !== 0 && price >= a;
    }
    const b = this.bestBid();
    return b !== 0 && price <= b;
  }

  private missingReason(orderId: number, s: number): RejectReason {
    // An id this venue issued that is no longer open (filled, canceled, expired) is "closed";
    // anything else, including another account's open order, is unknown to the caller.
    if (s === NONE && Number.isSafeInteger(orderId) && orderId >= 1 && orderId < this.nextOrderId) {
      return RejectReason.ORDER_CLOSED;
    }
    return RejectReason.UNKNOWN_ORDER;
  }

  private refuse(ts: number, orderId: number, account: number, op: RequestOp, reason: RejectReason): false {
    this.lastReject = reason;
    this.sink.rejected(ts, Number.isFinite(orderId) ? orderId : 0, account, 0, op, reason);
    return false;
  }

  // ---------------------------------------------------------------- matching

  /** Buy reservation: notional at the limit plus the larger fee on it. */
  private buyReserve(price: number, size: number): number {
    const n = price * size * this.qpt;
    return n + feeOf(n, this.maxFeePpm);
  }

  /** Sets a resting order's reservation to what its open size needs, moving the difference. */
  private rebalanceReserve(s: number, acct: number, side: Side): void {
    const want = side === Side.BUY ? this.buyReserve(this.oPrice[s], this.oRem[s]) : this.oRem[s] * this.bpl;
    const have = this.oRes[s];
    const asset = side === Side.BUY ? Asset.QUOTE : Asset.BASE;
    if (want > have) this.ledger.lock(acct, asset, want - have);
    else if (want < have) this.ledger.release(acct, asset, have - want);
    this.oRes[s] = want;
  }

  /** Whether a FOK order could fill completely now, without changing anything. */
  private fokFillable(s: number): boolean {
    const side = this.oSide[s] as Side;
    const opp = side === Side.BUY ? Side.SELL : Side.BUY;
    const market = (this.oFlags[s] & FLAG_MARKET) !== 0;
    const limit = this.oPrice[s];
    const acct = this.oAcct[s];
    let need = this.oRem[s];
    let cost = 0;
    const lvs = this.levels[opp];
    for (let i = lvs.length - 1; i >= 0 && need > 0; i--) {
      const lv = lvs[i];
      const p = this.lvPrice[lv];
      if (!market && (side === Side.BUY ? p > limit : p < limit)) break;
      for (let m = this.lvHead[lv]; m !== NONE && need > 0; m = this.oNext[m]) {
        if (this.oAcct[m] === acct) {
          if (this.stp === SelfTradePrevention.CANCEL_RESTING) continue;
          return false;
        }
        const f = Math.min(need, this.oRem[m]);
        need -= f;
        const n = p * f * this.qpt;
        cost += n + feeOf(n, this.takerPpm);
      }
    }
    if (need > 0) return false;
    return !(market && side === Side.BUY && cost > this.ledger.freeOf(acct, Asset.QUOTE));
  }

  /**
   * Matches order `s` against the opposite side, then rests it (GTC) or ends it (IOC and
   * market orders expire their remainder).
   */
  private execute(s: number, ts: number, tif: TimeInForce): void {
    const side = this.oSide[s] as Side;
    const opp = side === Side.BUY ? Side.SELL : Side.BUY;
    const market = (this.oFlags[s] & FLAG_MARKET) !== 0;
    const limit = market ? (side === Side.BUY ? Infinity : 0) : this.oPrice[s];
    const acct = this.oAcct[s];
    const oppPrices = this.prices[opp];
    const oppLevels = this.levels[opp];
    let stop = STOP_NONE;
    let filledAny = false;
    while (this.oRem[s] > 0 && oppPrices.length > 0) {
      const top = oppPrices.length - 1;
      const p = oppPrices[top];
      if (side === Side.BUY ? p > limit : p < limit) break;
      const lv = oppLevels[top];
      let m = this.lvHead[lv];
      while (m !== NONE && this.oRem[s] > 0) {
        const next = this.oNext[m];
        if (this.oAcct[m] === acct) {
          if (this.stp !== SelfTradePrevention.CANCEL_TAKER) {
            this.unlink(m);
            this.close(m, ts, EndReason.SELF_TRADE, AS_CANCELED);
          }
          if (this.stp !== SelfTradePrevention.CANCEL_RESTING) {
            stop = STOP_SELF_TRADE;
            break;
          }
          m = next;
          continue;
        }
        const want = Math.min(this.oRem[s], this.oRem[m]);
        let fill = want;
        if (market && side === Side.BUY) {
          fill = this.affordable(acct, p, want);
          if (fill === 0) {
            stop = STOP_BALANCE;
            break;
          }
        }
        this.fill(s, m, side, acct, p, fill, ts);
        filledAny = true;
        if (this.oRem[m] === 0) {
          this.unlink(m);
          this.close(m, ts, EndReason.USER, QUIET);
        }
        // A buyer who ran out of money mid-order stops here: skipping to a later, smaller
        // maker at the same price would break time priority.
        if (fill < want) {
          stop = STOP_BALANCE;
          break;
        }
        m = next;
      }
      // Leaving the inner loop without a stop means the taker is done or the level was
      // emptied (and popped by unlink), so the outer loop moves on to the next best level.
      if (stop !== STOP_NONE) break;
    }
    if (this.oRem[s] === 0) return this.close(s, ts, EndReason.USER, QUIET);
    if (stop === STOP_SELF_TRADE) return this.close(s, ts, EndReason.SELF_TRADE, AS_EXPIRED);
    if (stop === STOP_BALANCE) return this.close(s, ts, EndReason.INSUFFICIENT_BALANCE, AS_EXPIRED);
    if (market) return this.close(s, ts, filledAny ? EndReason.IOC_REMAINDER : EndReason.NO_LIQUIDITY, AS_EXPIRED);
    if (tif !== TimeInForce.GTC) return this.close(s, ts, EndReason.IOC_REMAINDER, AS_EXPIRED);
    this.rest(s);
  }

  /** Largest fill ≤ `want` lots at price `p` that a market buyer's free quote can pay. */
  private affordable(acct: number, p: number, want: number): number {
    const free = this.ledger.freeOf(acct, Asset.QUOTE);
    const unit = p * this.qpt;
    const ppm = this.takerPpm;
    if (want * unit + feeOf(want * unit, ppm) <= free) return want;
    let n = Math.min(want, Math.floor(free / (unit * (1 + ppm / 1e6))));
    while (n > 0 && n * unit + feeOf(n * unit, ppm) > free) n--;
    while (n + 1 <= want && (n + 1) * unit + feeOf((n + 1) * unit, ppm) <= free) n++;
    return n;
  }

  /** Settles one fill of `size` lots at `price` between taker `t` and maker `m`. */
  private fill(t: number, m: number, side: Side, takerAcct: number, price: number, size: number, ts: number): void {
    const L = this.ledger;
    const notional = price * size * this.qpt;
    const base = size * this.bpl;
    const makerFee = feeOf(notional, this.makerPpm);
    const takerFee = feeOf(notional, this.takerPpm);
    const makerAcct = this.oAcct[m];
    const lv = this.oLevel[m];
    this.oRem[m] -= size;
    this.lvQty[lv] -= size;
    this.oRem[t] -= size;
    if (side === Side.BUY) {
      // Maker sells: its reserved base goes to the taker; it receives the notional less fee.
      L.takeLocked(makerAcct, Asset.BASE, base);
      this.oRes[m] -= base;
      L.credit(makerAcct, Asset.QUOTE, notional - makerFee);
      if ((this.oFlags[t] & FLAG_MARKET) !== 0) {
        L.takeFree(takerAcct, Asset.QUOTE, notional + takerFee);
      } else {
        L.takeLocked(takerAcct, Asset.QUOTE, notional + takerFee);
        const want = this.buyReserve(this.oPrice[t], this.oRem[t]);
        L.release(takerAcct, Asset.QUOTE, this.oRes[t] - notional - takerFee - want);
        this.oRes[t] = want;
      }
      L.credit(takerAcct, Asset.BASE, base);
    } else {
      // Maker buys: pays notional + fee from its reservation, which is then re-sized.
      L.takeLocked(makerAcct, Asset.QUOTE, notional + makerFee);
      const want = this.buyReserve(price, this.oRem[m]);
      L.release(makerAcct, Asset.QUOTE, this.oRes[m] - notional - makerFee - want);
      this.oRes[m] = want;
      L.credit(makerAcct, Asset.BASE, base);
      if ((this.oFlags[t] & FLAG_MARKET) !== 0) {
        L.takeFree(takerAcct, Asset.BASE, base);
      } else {
        L.takeLocked(takerAcct, Asset.BASE, base);
        this.oRes[t] -= base;
      }
      L.credit(takerAcct, Asset.QUOTE, notional - takerFee);
    }
    L.collectFee(Asset.QUOTE, makerFee + takerFee);
    this.sink.trade(ts, this.nextTradeId++, price, size, this.oId[m], this.oId[t], makerAcct, takerAcct, makerFee, takerFee, side);
  }

  // ---------------------------------------------------------------- book structure

  /** Appends order `s` at the back of its price level, creating the level if needed. */
  private rest(s: number): void {
    const side = this.oSide[s] as Side;
    const price = this.oPrice[s];
    let lv = this.levelOf[side].get(price);
    if (lv === NONE) lv = this.addLevel(side, price);
    else if (this.lvCount[lv] === 0) this.emptyLevels[side]--;
    const tail = this.lvTail[lv];
    this.oPrev[s] = tail;
    this.oNext[s] = NONE;
    if (tail === NONE) this.lvHead[lv] = s;
    else this.oNext[tail] = s;
    this.lvTail[lv] = s;
    this.lvQty[lv] += this.oRem[s];
    this.lvCount[lv]++;
    this.oLevel[s] = lv;
  }

  /** Removes resting order `s` from its level (no-op for an order that is not resting). */
  private unlink(s: number): void {
    const lv = this.oLevel[s];
    if (lv === NONE) return;
    const prev = this.oPrev[s];
    const next = this.oNext[s];
    if (prev === NONE) this.lvHead[lv] = next;
    else this.oNext[prev] = next;
    if (next === NONE) this.lvTail[lv] = prev;
    else this.oPrev[next] = prev;
    this.lvQty[lv] -= this.oRem[s];
    this.lvCount[lv]--;
    this.oLevel[s] = NONE;
    if (this.lvCount[lv] === 0) {
      const side = this.oSide[s] as Side;
      this.emptyLevels[side]++;
      this.trimBest(side);
      if (this.emptyLevels[side] > 64 && this.emptyLevels[side] * 2 > this.levels[side].length) this.compact(side);
    }
  }

  /** Ends order `s`: releases what it still reserves, frees its slot, and reports why. */
  private close(s: number, ts: number, reason: EndReason, report: number): void {
    const acct = this.oAcct[s];
    const res = this.oRes[s];
    if (res > 0) this.ledger.release(acct, this.oSide[s] === Side.BUY ? Asset.QUOTE : Asset.BASE, res);
    this.oRes[s] = 0;
    const id = this.oId[s];
    if (report === AS_CANCELED) this.sink.canceled(ts, id, acct, this.oRem[s], reason);
    else if (report === AS_EXPIRED) this.sink.expired(ts, id, acct, this.oRem[s], reason);
    this.idToSlot.delete(id);
    const cid = this.oClient[s];
    if (cid !== 0) this.clientIds[acct]?.delete(cid);
    this.freeSlots[this.freeTop++] = s;
  }

  /** Pops empty levels off the best end of a side, so the best level is never empty. */
  private trimBest(side: Side): void {
    const ps = this.prices[side];
    const lvs = this.levels[side];
    while (lvs.length > 0 && this.lvCount[lvs[lvs.length - 1]] === 0) {
      const lv = lvs.pop()!;
      ps.pop();
      this.levelOf[side].delete(this.lvPrice[lv]);
      this.lvFree[this.lvFreeTop++] = lv;
      this.emptyLevels[side]--;
    }
  }

  /** Drops every empty level of a side: amortised against the cancels that emptied them. */
  private compact(side: Side): void {
    const ps = this.prices[side];
    const lvs = this.levels[side];
    let w = 0;
    for (let r = 0; r < lvs.length; r++) {
      const lv = lvs[r];
      if (this.lvCount[lv] === 0) {
        this.levelOf[side].delete(ps[r]);
        this.lvFree[this.lvFreeTop++] = lv;
      } else {
        lvs[w] = lv;
        ps[w] = ps[r];
        w++;
      }
    }
    lvs.length = w;
    ps.length = w;
    this.emptyLevels[side] = 0;
  }

  private addLevel(side: Side, price: number): number {
    let lv: number;
    if (this.lvFreeTop > 0) lv = this.lvFree[--this.lvFreeTop];
    else {
      if (this.lvUsed === this.lvCap) this.growLevels();
      lv = this.lvUsed++;
    }
    this.lvPrice[lv] = price;
    this.lvHead[lv] = NONE;
    this.lvTail[lv] = NONE;
    this.lvQty[lv] = 0;
    this.lvCount[lv] = 0;
    this.levelOf[side].set(price, lv);
    const ps = this.prices[side];
    const lvs = this.levels[side];
    // Best is last: bids ascend, asks descend. New levels usually land near the best.
    const n = ps.length;
    const asc = side === Side.BUY;
    if (n === 0 || (asc ? ps[n - 1] < price : ps[n - 1] > price)) {
      ps.push(price);
      lvs.push(lv);
      return lv;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (asc ? ps[mid] < price : ps[mid] > price) lo = mid + 1;
      else hi = mid;
    }
    // Shift the tail up by one in place: splice would allocate its result array.
    ps.push(0);
    lvs.push(0);
    for (let i = n; i > lo; i--) {
      ps[i] = ps[i - 1];
      lvs[i] = lvs[i - 1];
    }
    ps[lo] = price;
    lvs[lo] = lv;
    return lv;
  }

  private allocSlot(): number {
    if (this.freeTop > 0) return this.freeSlots[--this.freeTop];
    if (this.used === this.cap) this.growOrders();
    return this.used++;
  }

  private clientMap(account: number): Map<number, number> {
    let m = this.clientIds[account];
    if (m === undefined) {
      m = new Map();
      this.clientIds[account] = m;
    }
    return m;
  }

  private view(s: number): RestingOrder {
    return {
      orderId: this.oId[s], account: this.oAcct[s], clientOrderId: this.oClient[s],
      side: this.oSide[s] as Side, price: this.oPrice[s], remaining: this.oRem[s],
      postOnly: (this.oFlags[s] & FLAG_POST_ONLY) !== 0,
    };
  }

  private growOrders(): void {
    const cap = this.cap * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.oId = g(this.oId, (n) => new Float64Array(n));
    this.oAcct = g(this.oAcct, (n) => new Int32Array(n));
    this.oSide = g(this.oSide, (n) => new Uint8Array(n));
    this.oFlags = g(this.oFlags, (n) => new Uint8Array(n));
    this.oPrice = g(this.oPrice, (n) => new Float64Array(n));
    this.oRem = g(this.oRem, (n) => new Float64Array(n));
    this.oRes = g(this.oRes, (n) => new Float64Array(n));
    this.oClient = g(this.oClient, (n) => new Float64Array(n));
    this.oNext = g(this.oNext, (n) => new Int32Array(n));
    this.oPrev = g(this.oPrev, (n) => new Int32Array(n));
    this.oLevel = g(this.oLevel, (n) => new Int32Array(n));
    this.freeSlots = g(this.freeSlots, (n) => new Int32Array(n));
    this.cap = cap;
  }

  private growLevels(): void {
    const cap = this.lvCap * 2;
    const f = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    const i = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    this.lvPrice = f(this.lvPrice);
    this.lvQty = f(this.lvQty);
    this.lvHead = i(this.lvHead);
    this.lvTail = i(this.lvTail);
    this.lvCount = i(this.lvCount);
    this.lvFree = i(this.lvFree);
    this.lvCap = cap;
  }
}

// The argument errors of submit, cancel and amend, built in functions of their own, off the
// hot path: see badAdvance in sim/clock.ts.
function badTime(what: string, ts: number): Error {
  return new Error(`${what}.ts: ${ts} is not a non-negative safe-integer time`);
}

function badSubmit(ts: number, side: number, orderType: number, tif: number): Error {
  if (!(ts >= 0 && ts <= Number.MAX_SAFE_INTEGER)) return badTime("submit", ts);
  if (side !== 0 && side !== 1) return new Error(`submit.side: ${side} is not BUY (0) or SELL (1)`);
  if (orderType !== 0 && orderType !== 1) return new Error(`submit.orderType: ${orderType} is not LIMIT (0) or MARKET (1)`);
  return new Error(`submit.tif: ${tif} is not GTC (0), IOC (1) or FOK (2)`);
}
