// SimExchange: the Exchange port for one agent, over the simulated venue and its latency network.
import {
  BadRequest,
  errorFor,
  type Balances,
  type Capabilities,
  type Exchange,
  type MarketInfo,
  type OHLCV,
  type Order,
  type OrderBook,
  type OrderParams,
  type OrderTypeName,
  type SideName,
  type Stamps,
  type TimeInForceName,
  type Trade,
} from "./exchange.ts";
import { CcxtShapes, type OrderRec, type RawTrade } from "./ccxt-shapes.ts";
import { deferred, rejectQuietly, resolveLazily, type Deferred } from "./observed.ts";
import { amountToLots, priceToTicks, type Instrument } from "./instrument.ts";
import { OpenOrders } from "./open-orders.ts";
import { RequestKind, type AgentInbox, type BookSnapshot, type SimVenue, type VenueBatch, type VenueRequest } from "./sim-venue.ts";
import { decodeEvent, EVENT_STRIDE } from "./event-log.ts";
import {
  endReasonName,
  EventKind,
  OrderType,
  rejectReasonName,
  Side,
  TimeInForce,
  type EndReason,
  type RejectReason,
  type TradeEvent,
} from "./types.ts";

const SIM_CAPABILITIES: Capabilities = Object.freeze({
  createOrder: true, cancelOrder: true, editOrder: true, fetchOrder: true, fetchOpenOrders: true,
  fetchBalance: true, fetchOrderBook: true, fetchMyTrades: true, fetchOHLCV: true, watchOrderBook: true,
  watchTrades: true, watchMyTrades: true, watchOrders: true, createPostOnlyOrder: true,
  createMarketOrder: true, selfTradePrevention: true,
});

/**
 * Callbacks of a simulated agent that does not await (see `SimExchange.listener`). The record
 * handed over is valid during the call: a client that keeps no closed orders
 * (`options.ordersLimit` 0) reuses a closed order's record for a later order.
 */
export interface SimListener {
  /** An own order was accepted, filled (partly or fully), amended, canceled or expired. */
  onOrder?(order: Readonly<OrderRec>): void;
  /** An own fill: price in ticks, size in lots, fee in quote units. Called before onOrder. */
  onFill?(order: Readonly<OrderRec>, price: number, size: number, fee: number, asTaker: boolean): void;
}

/**
 * How much closed history a client keeps, as ccxt pro's `options.ordersLimit` and
 * `options.tradesLimit` bound its caches: closed orders for fetchOrder (older ones are
 * forgotten first) and own fills for fetchMyTrades. Open orders are always kept.
 */
export interface HistoryLimits {
  ordersLimit: number;
  tradesLimit: number;
}


interface Pending {
  readonly kind: RequestKind;
  readonly d: Deferred<unknown>;
  /** What was asked, for error messages: built only when one is needed. */
  readonly what: string | (() => string);
  /** The order a cancel/amend is about. */
  readonly orderId: number;
  /** For a round trip answered from this client's state: computes the answer on arrival. */
  readonly after: (() => unknown) | undefined;
}


/**
 * The `Exchange` a simulated agent holds. Requests travel to the venue with the agent's
 * order latency; answers, fills and market data come back with its data latency, and the
 * promises settle at that simulated time. Order state is kept from the private event
 * stream, as a ccxt client caches it from its websocket.
 */
export class SimExchange implements Exchange, AgentInbox {
  readonly id = "sim";
  readonly has = SIM_CAPABILITIES;
  readonly markets: Readonly<Record<string, MarketInfo>>;
  readonly account: number;
  private readonly venue: SimVenue;
  private readonly inst: Instrument;
  private readonly shapes: CcxtShapes;
  private nextReq = 1;
  private readonly pending = new Map<number, Pending>();
  /** Closed orders still kept (see `options.ordersLimit`); open ones are in `open`. */
  private readonly orders = new Map<number, OrderRec>();
  /** Ids of closed orders still kept, oldest first from `closedHead`. */
  private closedIds: number[] = [];
  private closedHead = 0;
  /**
   * Orders closed by the message being applied, oldest first: still answerable by it whatever
   * the limit, and moved to `orders` (or dropped) once it is applied. A short list instead of
   * map traffic, since with a limit of 0 every close would otherwise be a set and a delete.
   */
  private readonly closing: (OrderRec | undefined)[] = [];
  private closingN = 0;
  /**
   * Records of closed orders kept for reuse when `options.ordersLimit` is 0. A population
   * places hundreds of thousands of orders a day that rest for minutes: new records would
   * outlive young-generation collections and be copied and promoted, then die old (measured as
   * the largest share of what the collector kept). Reused ones stay put in the old generation.
   */
  private readonly spare: OrderRec[] = [];
  private readonly clientIds = new Map<string, number>();
  /** The reverse of `clientIds`: the engine reports numbers, the caller gave strings. */
  private readonly clientNames: string[] = [];
  private readonly myTrades: RawTrade[] = [];
  private bookDepth = 0;
  private tradesOn = false;
  private myTradesOn = false;
  private ordersOn = false;
  private bookWaiters: { d: Deferred<OrderBook>; limit: number }[] = [];
  private tradeWaiters: Deferred<Trade[]>[] = [];
  private myTradeWaiters: Deferred<Trade[]>[] = [];
  private orderWaiters: Deferred<Order[]>[] = [];
  /** Open orders by id, in acceptance order: what fetchOpenOrders lists. */
  private readonly open = new OpenOrders<OrderRec>();
  private tradeBuf: RawTrade[] = [];
  private myTradeBuf: RawTrade[] = [];
  private changedOrders = new Set<number>();
  private lastBook: OrderBook | undefined;
  /**
   * Closed history kept. Populations that act on callbacks and never ask for their past set
   * both to 0: a day of their orders would otherwise fill memory and the collector's time.
   */
  readonly options: HistoryLimits = { ordersLimit: 10_000, tradesLimit: 10_000 };

  /**
   * Called synchronously, at the local time a message arrives, for simulated agents that
   * act on callbacks instead of awaiting (the populations): no promise, no yield.
   */
  listener: SimListener | undefined = undefined;
  /** Delay of this client's market data feed, ns: what `bidTicks`/`askTicks` lag by. */
  private readonly feedDelayNs: number;

  /** @param feedDelayNs how far behind venue time this client's view of the top of book is. */
  constructor(venue: SimVenue, agent: number, feedDelayNs = 0) {
    this.feedDelayNs = feedDelayNs;
    this.venue = venue;
    this.inst = venue.instrument;
    this.shapes = new CcxtShapes(venue.instrument, venue.epochMs);
    this.account = venue.connect(agent, this);
    const s = this.inst.spec;
    this.markets = Object.freeze({
      [s.symbol]: Object.freeze({
        symbol: s.symbol, base: this.inst.base, quote: this.inst.quote,
        precision: { price: s.tickSize, amount: s.lotSize },
        limits: { cost: { min: s.minNotional } },
        maker: s.makerFeePpm / 1e6, taker: s.takerFeePpm / 1e6,
      }),
    });
  }

  // ---------------------------------------------------------------- trading
  // Methods are not `async`: they return `Observed` promises, so the kernel yields to
  // awaiting code only when some code awaits. A refusal found here, before anything is sent,
  // is returned as a rejected promise, as ccxt does.

  createOrder(
    symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number,
    params: OrderParams = {},
  ): Promise<Order> {
    try {
      this.checkSymbol(symbol);
      if (type !== "limit" && type !== "market") throw new BadRequest("invalid_order", `createOrder.type: ${JSON.stringify(type)} is not "limit" or "market"`);
      const sideCode = this.sideCode(side, "createOrder.side");
      const size = this.lots(amount, "createOrder.amount");
      let tif: TimeInForceName = params.timeInForce ?? "GTC";
      if (!["GTC", "IOC", "FOK", "PO"].includes(tif)) throw new BadRequest("invalid_order", `createOrder.params.timeInForce: ${JSON.stringify(tif)} is not GTC, IOC, FOK or PO`);
      const postOnly = params.postOnly === true || tif === "PO";
      if (postOnly) tif = "PO";
      let ticks = 0;
      if (type === "limit") ticks = this.ticks(price, "createOrder.price");
      let cid = 0;
      if (params.clientOrderId !== undefined) {
        if (typeof params.clientOrderId !== "string" || params.clientOrderId.length === 0) {
          throw new BadRequest("invalid_order", `createOrder.params.clientOrderId: ${JSON.stringify(params.clientOrderId)} must be a non-empty string`);
        }
        cid = this.clientIds.get(params.clientOrderId) ?? this.clientIds.size + 1;
        this.clientIds.set(params.clientOrderId, cid);
        this.clientNames[cid] = params.clientOrderId;
      }
      // A market order never rests: it is immediate-or-cancel unless fill-or-kill was asked.
      if (type === "market" && tif !== "FOK") tif = "IOC";
      const tifCode = tif === "IOC" ? TimeInForce.IOC : tif === "FOK" ? TimeInForce.FOK : TimeInForce.GTC;
      return this.request<Order>(
        {
          kind: RequestKind.SUBMIT, reqId: 0, side: sideCode, orderType: type === "limit" ? OrderType.LIMIT : OrderType.MARKET,
          tif: tifCode, postOnly, price: ticks, size, orderId: 0, clientOrderId: cid, depth: 0,
        },
        () => `createOrder(${type} ${side} ${amount}${price === undefined ? "" : ` @ ${price}`}${params.clientOrderId === undefined ? "" : `, clientOrderId ${JSON.stringify(params.clientOrderId)}`})`,
      );
    } catch (err) {
      return this.refused(err);
    }
  }

  cancelOrder(id: string, symbol: string): Promise<Order> {
    try {
      this.checkSymbol(symbol);
      return this.request<Order>(this.req(RequestKind.CANCEL, this.orderId(id, "cancelOrder.id")), () => `cancelOrder(${id})`);
    } catch (err) {
      return this.refused(err);
    }
  }

  editOrder(
    id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number,
  ): Promise<Order> {
    try {
      this.checkSymbol(symbol);
      const orderId = this.orderId(id, "editOrder.id");
      if (type !== "limit") throw new BadRequest("invalid_order", `editOrder.type: ${JSON.stringify(type)}: only limit orders rest and can be edited`);
      const sideCode = this.sideCode(side, "editOrder.side");
      const rec = this.order(orderId);
      if (rec !== undefined && rec.side !== sideCode) {
        throw new BadRequest("invalid_order", `editOrder.side: ${JSON.stringify(side)} differs from the order's side`);
      }
      const r = this.req(RequestKind.AMEND, orderId);
      r.price = this.ticks(price, "editOrder.price");
      r.size = this.lots(amount, "editOrder.amount");
      return this.request<Order>(r, () => `editOrder(${id}, ${amount} @ ${price})`);
    } catch (err) {
      return this.refused(err);
    }
  }

  // ---------------------------------------------------------------- queries
  // Order and trade queries make a round trip to the venue, then answer from this client's
  // state: every private event the venue sent before the answer has arrived by then (FIFO).

  fetchOrder(id: string, symbol: string): Promise<Order> {
    try {
      this.checkSymbol(symbol);
      const orderId = this.orderId(id, "fetchOrder.id");
      return this.request<Order>(this.req(RequestKind.PING, 0), "fetchOrder", () => {
        const rec = this.order(orderId);
        if (rec === undefined) throw errorFor("unknown_order", `fetchOrder(${id}): unknown_order`);
        return this.shapes.order(rec);
      });
    } catch (err) {
      return this.refused(err);
    }
  }

  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    try {
      if (symbol !== undefined) this.checkSymbol(symbol);
      return this.request<Order[]>(this.req(RequestKind.PING, 0), "fetchOpenOrders", () => {
        const out: Order[] = [];
        for (const rec of this.open.values()) out.push(this.shapes.order(rec));
        return out;
      });
    } catch (err) {
      return this.refused(err);
    }
  }

  fetchMyTrades(symbol?: string): Promise<Trade[]> {
    try {
      if (symbol !== undefined) this.checkSymbol(symbol);
      return this.request<Trade[]>(this.req(RequestKind.PING, 0), "fetchMyTrades", () => this.myTrades.slice(-this.options.tradesLimit).map((t) => this.shapes.trade(t)));
    } catch (err) {
      return this.refused(err);
    }
  }

  /** 1-minute candles only (what the venue keeps); closed by the time the request is sent. */
  fetchOHLCV(symbol: string, timeframe = "1m", since?: number, limit = 500): Promise<OHLCV[]> {
    try {
      this.checkSymbol(symbol);
      if (timeframe !== "1m") throw new BadRequest("unsupported_timeframe", `fetchOHLCV.timeframe: ${JSON.stringify(timeframe)} is not offered (the simulator keeps 1m candles)`);
      if (since !== undefined && !Number.isFinite(since)) throw new BadRequest("bad_argument", `fetchOHLCV.since: ${since} is not a time in Unix ms`);
      if (!Number.isSafeInteger(limit) || limit < 1) throw new BadRequest("bad_argument", `fetchOHLCV.limit: ${limit} is not a positive integer`);
      const source = this.venue.candles;
      if (source === undefined) throw new BadRequest("not_supported", "fetchOHLCV: this venue keeps no candles");
      const untilNs = this.venue.now;
      return this.request<OHLCV[]>(this.req(RequestKind.PING, 0), "fetchOHLCV", () => source.candles(untilNs, since, limit));
    } catch (err) {
      return this.refused(err);
    }
  }

  milliseconds(): number {
    return this.shapes.ms(this.venue.now);
  }

  fetchBalance(): Promise<Balances> {
    return this.request<Balances>(this.req(RequestKind.BALANCE, 0), "fetchBalance");
  }

  fetchOrderBook(symbol: string, limit = 100): Promise<OrderBook> {
    try {
      this.checkSymbol(symbol);
      const r = this.req(RequestKind.BOOK, 0);
      r.depth = this.depthArg(limit, "fetchOrderBook.limit");
      return this.request<OrderBook>(r, "fetchOrderBook");
    } catch (err) {
      return this.refused(err);
    }
  }

  // ---------------------------------------------------------------- streams

  watchOrderBook(symbol: string, limit = 100): Promise<OrderBook> {
    try {
      this.checkSymbol(symbol);
      const depth = this.depthArg(limit, "watchOrderBook.limit");
      if (depth > this.bookDepth) {
        this.bookDepth = depth;
        const r = this.req(RequestKind.SUBSCRIBE_BOOK, 0);
        r.depth = depth;
        this.venue.send(this.account, r);
      }
      const d = deferred<OrderBook>();
      this.bookWaiters.push({ d, limit: depth });
      return d.promise;
    } catch (err) {
      return this.refused(err);
    }
  }

  watchTrades(symbol: string): Promise<Trade[]> {
    try {
      this.checkSymbol(symbol);
      if (!this.tradesOn) {
        this.tradesOn = true;
        this.venue.send(this.account, this.req(RequestKind.SUBSCRIBE_TRADES, 0));
      }
      if (this.tradeBuf.length > 0) return this.answered(this.drain("tradeBuf"));
      const d = deferred<Trade[]>();
      this.tradeWaiters.push(d);
      return d.promise;
    } catch (err) {
      return this.refused(err);
    }
  }

  watchMyTrades(symbol?: string): Promise<Trade[]> {
    try {
      if (symbol !== undefined) this.checkSymbol(symbol);
      this.myTradesOn = true;
      if (this.myTradeBuf.length > 0) return this.answered(this.drain("myTradeBuf"));
      const d = deferred<Trade[]>();
      this.myTradeWaiters.push(d);
      return d.promise;
    } catch (err) {
      return this.refused(err);
    }
  }

  watchOrders(symbol?: string): Promise<Order[]> {
    try {
      if (symbol !== undefined) this.checkSymbol(symbol);
      this.ordersOn = true;
      if (this.changedOrders.size > 0) return this.answered(this.changedOrderList());
      const d = deferred<Order[]>();
      this.orderWaiters.push(d);
      return d.promise;
    } catch (err) {
      return this.refused(err);
    }
  }

  // ---------------------------------------------------------------- simulator fast path
  // For simulated populations only (a bot uses the Exchange methods above): the top of book
  // as this client's feed shows it now, i.e. the venue's top `feedDelayNs` ago. Ticks.

  /** Best bid in ticks as this client's feed shows it now (0 when none). */
  bidTicks(): number {
    return this.venue.topTape.bidAt(this.venue.now - this.feedDelayNs);
  }

  /** Best ask in ticks as this client's feed shows it now (0 when none). */
  askTicks(): number {
    return this.venue.topTape.askAt(this.venue.now - this.feedDelayNs);
  }

  /**
   * Sends an order without a promise: price in ticks (0 for market orders), size in lots.
   * The outcome arrives through `listener` (accepted, fills, end); a refusal is dropped. For
   * populations that send many orders and await none: no promise, no decimal conversion.
   */
  sendOrder(side: Side, orderType: OrderType, tif: TimeInForce, postOnly: boolean, priceTicks: number, sizeLots: number): void {
    const r = this.req(RequestKind.SUBMIT, 0);
    r.side = side;
    r.orderType = orderType;
    r.tif = tif;
    r.postOnly = postOnly;
    r.price = priceTicks;
    r.size = sizeLots;
    this.venue.send(this.account, r);
  }

  /** Cancels an order without a promise; the outcome arrives through `listener`. */
  sendCancel(orderId: number): void {
    this.venue.send(this.account, this.req(RequestKind.CANCEL, orderId));
  }

  /**
   * Open orders of this client as it knows them (no round trip; acceptance order), as they
   * stand at the call: code that awaits while walking them still sees each one once. Records
   * are valid until the order closes (see `SimListener` on reuse).
   */
  openOrderStates(): IterableIterator<Readonly<OrderRec>> {
    return this.open.values();
  }

  /**
   * Open orders this client knows of, for walking them by index with `openOrderAt` without
   * building an iterator: for synchronous code only, since an await lets orders close and
   * the indexes move.
   */
  get openOrderCount(): number {
    return this.open.size;
  }

  /** The `i`-th oldest open order (0 <= i < openOrderCount); see `openOrderStates` on reuse. */
  openOrderAt(i: number): Readonly<OrderRec> {
    return this.open.at(i);
  }

  /** The last book this agent received from a watch, if any (ccxt pro's cached book). */
  get cachedBook(): OrderBook | undefined {
    return this.lastBook;
  }

  // ---------------------------------------------------------------- inbound

  /** Applies one venue message at the agent's local time `now`. */
  receive(batch: VenueBatch, now: number): void {
    // Only a settled promise that some code awaits makes the kernel yield to that code.
    let observed = false;
    let rejected: RejectReason | 0 = 0;
    const rows = batch.rows;
    const me = this.account;
    for (let o = batch.rowsFrom; o < batch.rowsTo; o += EVENT_STRIDE) {
      const kind = rows[o];
      if (kind === EventKind.TRADE) {
        // Columns 3 and 8 are the taker's and the maker's accounts (see event-log.ts).
        if (this.tradesOn || rows[o + 3] === me || rows[o + 8] === me) this.onTrade(rows, o, batch.venueTs, now);
      } else if (rows[o + 3] === me) {
        if (kind === EventKind.REJECTED) rejected = rows[o + 8] as RejectReason;
        else this.onOrderEvent(rows, o, batch.venueTs, now);
      }
    }
    // Most messages carry only events; stamps are built for answers and books.
    if (batch.reqId !== 0 || batch.book !== undefined) observed = this.answerAndBook(batch, rejected, now);
    const streamed = this.flushStreams();
    // Forgotten only now, so the answer and the streams of this message still see an order
    // that closed in it (one that filled on arrival), whatever the limit.
    if (this.closingN > 0) this.keepClosed();
    if (streamed || observed) this.venue.settled();
  }

  /** Settles the request's promise and the book watchers; true when one of them was awaited. */
  private answerAndBook(batch: VenueBatch, rejected: RejectReason | 0, now: number): boolean {
    let observed = false;
    const stamps: Stamps = { venueTs: batch.venueTs, localTs: now };
    if (batch.reqId !== 0) {
      const p = this.pending.get(batch.reqId);
      if (p !== undefined) {
        this.pending.delete(batch.reqId);
        observed = p.d.promise.observed;
        this.answer(p, batch, rejected, stamps);
      }
    }
    if (batch.book !== undefined && this.bookDepth > 0) {
      this.lastBook = this.shapes.book(batch.book, stamps, this.bookDepth);
      if (this.bookWaiters.length > 0) {
        const ws = this.bookWaiters;
        this.bookWaiters = [];
        for (const w of ws) {
          observed ||= w.d.promise.observed;
          w.d.resolve(w.limit >= this.bookDepth ? this.lastBook : this.shapes.book(batch.book, stamps, w.limit));
        }
      }
    }
    return observed;
  }

  /** Hands buffered trades and order changes to stream watchers; true when one was awaited. */
  private flushStreams(): boolean {
    let observed = false;
    if (this.tradeWaiters.length > 0 && this.tradeBuf.length > 0) observed = this.flushWaiters("tradeWaiters", "tradeBuf") || observed;
    if (this.myTradeWaiters.length > 0 && this.myTradeBuf.length > 0) observed = this.flushWaiters("myTradeWaiters", "myTradeBuf") || observed;
    if (this.orderWaiters.length > 0 && this.changedOrders.size > 0) {
      const list = this.changedOrderList();
      const ws = this.orderWaiters;
      this.orderWaiters = [];
      for (const w of ws) {
        observed ||= w.promise.observed;
        w.resolve(list);
      }
    }
    return observed;
  }

  private answer(p: Pending, batch: VenueBatch, rejected: RejectReason | 0, stamps: Stamps): void {
    const d = p.d;
    switch (p.kind) {
      case RequestKind.SUBMIT:
      case RequestKind.CANCEL:
      case RequestKind.AMEND: {
        if (rejected !== 0 || batch.result === 0 || batch.result === false) {
          const name = rejected === 0 ? "invalid_order" : rejectReasonName[rejected];
          rejectQuietly(d, errorFor(name, `${describe(p.what)} rejected: ${name}`));
          return;
        }
        const id = p.kind === RequestKind.SUBMIT ? (batch.result as number) : p.orderId;
        const rec = this.order(id);
        if (rec === undefined) {
          rejectQuietly(d, errorFor("unknown_order", `${describe(p.what)}: order ${id} not in the event stream`));
        } else {
          // The order as it stands at this answer, built only if someone looks at it.
          const snapshot = { ...rec };
          resolveLazily(d, () => this.shapes.order(snapshot));
        }
        return;
      }
      case RequestKind.BOOK:
        d.resolve(this.shapes.book(batch.result as BookSnapshot, stamps, Infinity));
        return;
      case RequestKind.BALANCE:
        d.resolve(this.shapes.balances(batch.result as readonly number[], stamps));
        return;
      default:
        if (p.after === undefined) {
          d.resolve(undefined);
          return;
        }
        try {
          d.resolve(p.after());
        } catch (err) {
          rejectQuietly(d, err as Error);
        }
    }
  }

  /** An own order event at float offset `o` of `rows` (columns as in event-log.ts). */
  private onOrderEvent(rows: Float64Array, o: number, venueTs: number, localTs: number): void {
    const kind = rows[o] as EventKind;
    const orderId = rows[o + 2];
    if (kind === EventKind.ACCEPTED) {
      const cidNum = rows[o + 6];
      const postOnly = rows[o + 10] === 1;
      const tif = rows[o + 9] as TimeInForce;
      const rec = this.spare.pop() ?? blankOrder();
      rec.id = orderId;
      rec.clientOrderId = cidNum === 0 ? undefined : this.clientNames[cidNum];
      rec.side = rows[o + 7] as Side;
      rec.type = rows[o + 8] === OrderType.MARKET ? "market" : "limit";
      rec.tif = postOnly ? "PO" : tif === TimeInForce.IOC ? "IOC" : tif === TimeInForce.FOK ? "FOK" : "GTC";
      rec.postOnly = postOnly;
      rec.price = rows[o + 4];
      rec.amount = rows[o + 5];
      rec.filled = 0;
      rec.cost = 0;
      rec.fee = 0;
      rec.status = "open";
      rec.reason = undefined;
      rec.venueTs = venueTs;
      rec.localTs = localTs;
      rec.lastTradeTs = undefined;
      this.open.set(rec);
      this.touch(orderId);
      this.listener?.onOrder?.(rec);
      return;
    }
    const rec = this.order(orderId);
    if (rec === undefined) return;
    if (kind === EventKind.AMENDED) {
      rec.price = rows[o + 4];
      rec.amount = rec.filled + rows[o + 5];
    } else {
      rec.status = kind === EventKind.CANCELED ? "canceled" : "expired";
      rec.reason = endReasonName[rows[o + 8] as EndReason];
      this.closed(rec);
    }
    this.touch(orderId);
    this.listener?.onOrder?.(rec);
  }

  /** A trade at float offset `o` of `rows`: public (when subscribed) and/or one of this client's fills. */
  private onTrade(rows: Float64Array, o: number, venueTs: number, localTs: number): void {
    const me = this.account;
    const takerAccount = rows[o + 3];
    const mine = rows[o + 8] === me || takerAccount === me;
    // Trades are kept raw and turned into ccxt objects only when somebody reads them; the
    // event object is built only when a trade is kept.
    const keep = mine && (this.options.tradesLimit > 0 || this.myTradesOn);
    let ev: TradeEvent | undefined;
    let stamps: Stamps | undefined;
    if (this.tradesOn || keep) {
      ev = decodeEvent(rows, o / EVENT_STRIDE) as TradeEvent;
      stamps = { venueTs, localTs };
      if (this.tradesOn) this.tradeBuf.push({ ev, stamps, asTaker: false, mine: false });
    }
    if (!mine) return;
    // A self-trade (possible only with prevention off) is reported from the taker's side.
    const asTaker = takerAccount === me;
    const orderId = asTaker ? rows[o + 7] : rows[o + 6];
    const price = rows[o + 4];
    const size = rows[o + 5];
    const fee = asTaker ? rows[o + 10] : rows[o + 9];
    const rec = this.order(orderId);
    if (rec !== undefined) {
      rec.filled += size;
      rec.cost += price * size * this.inst.quoteUnitsPerTickLot;
      rec.fee += fee;
      rec.lastTradeTs = venueTs;
      if (rec.filled >= rec.amount && rec.status === "open") {
        rec.status = "closed";
        this.closed(rec);
      }
      this.touch(orderId);
      const l = this.listener;
      if (l !== undefined) {
        l.onFill?.(rec, price, size, fee, asTaker);
        l.onOrder?.(rec);
      }
    }
    if (!keep) return;
    const raw: RawTrade = { ev: ev!, stamps: stamps!, asTaker, mine: true };
    const limit = this.options.tradesLimit;
    if (limit > 0) {
      this.myTrades.push(raw);
      // Trim in blocks: shifting one element off a long array on every fill is O(n).
      if (this.myTrades.length > 2 * limit) this.myTrades.splice(0, this.myTrades.length - limit);
    }
    if (this.myTradesOn) this.myTradeBuf.push(raw);
  }

  // ---------------------------------------------------------------- helpers

  private request<T>(req: VenueRequest, what: string | (() => string), after?: () => T): Promise<T> {
    req.reqId = this.nextReq++;
    const d = deferred<T>();
    this.pending.set(req.reqId, { kind: req.kind, d: d as Deferred<unknown>, what, orderId: req.orderId, after });
    this.venue.send(this.account, req);
    return d.promise;
  }

  /**
   * A refusal found before anything was sent: rejected at once. Its handler, if the caller
   * attaches one right away, must run at this instant, so the kernel is told to yield.
   */
  private refused<T>(err: unknown): Promise<T> {
    const d = deferred<T>();
    rejectQuietly(d, err instanceof Error ? err : new Error(String(err)));
    this.venue.settled();
    return d.promise;
  }

  /** The request being built: one object reused, since `venue.send` copies it at once. */
  private readonly scratch: VenueRequest = {
    kind: RequestKind.PING, reqId: 0, side: Side.BUY, orderType: OrderType.LIMIT, tif: TimeInForce.GTC, postOnly: false,
    // orderId starts as a double: ids read from the event rows are doubles to V8, and the
    // object changing representation on its first cancel would throw away code compiled for
    // this class when the next run builds its clients (see market/array-kinds.ts). Every
    // request built from it sets every field.
    price: 0, size: 0, orderId: 0.5, clientOrderId: 0, depth: 0,
  };

  private req(kind: RequestKind, orderId: number): VenueRequest {
    const r = this.scratch;
    r.kind = kind; r.reqId = 0; r.side = Side.BUY; r.orderType = OrderType.LIMIT; r.tif = TimeInForce.GTC;
    r.postOnly = false; r.price = 0; r.size = 0; r.orderId = orderId; r.clientOrderId = 0; r.depth = 0;
    return r;
  }

  /** An order this client knows: open, or closed and still kept. */
  private order(id: number): OrderRec | undefined {
    const rec = this.open.get(id);
    if (rec !== undefined) return rec;
    for (let i = 0; i < this.closingN; i++) if (this.closing[i]!.id === id) return this.closing[i];
    return this.orders.get(id);
  }

  private touch(orderId: number): void {
    if (!this.ordersOn) return;
    this.changedOrders.delete(orderId);
    this.changedOrders.add(orderId);
  }

  /** Takes a closed order out of the open set; it joins the history once the message is applied. */
  private closed(rec: OrderRec): void {
    if (!this.open.delete(rec.id)) return;
    this.closing[this.closingN++] = rec;
  }

  /** Moves the orders this message closed into the history and forgets the oldest past `options.ordersLimit`. */
  private keepClosed(): void {
    const limit = Math.max(0, this.options.ordersLimit);
    for (let i = 0; i < this.closingN; i++) {
      const rec = this.closing[i]!;
      this.closing[i] = undefined;
      if (limit === 0) {
        this.spare.push(rec);
        continue;
      }
      this.orders.set(rec.id, rec);
      this.closedIds.push(rec.id);
    }
    this.closingN = 0;
    if (this.closedIds.length - this.closedHead <= limit) return;
    while (this.closedIds.length - this.closedHead > limit) this.orders.delete(this.closedIds[this.closedHead++]);
    // Drop the forgotten prefix now and then, so the queue stays about the size of the cap.
    if (this.closedHead >= limit) {
      this.closedIds = this.closedIds.slice(this.closedHead);
      this.closedHead = 0;
    }
  }

  private drain(buf: "tradeBuf" | "myTradeBuf"): Trade[] {
    const raw = this[buf];
    this[buf] = [];
    return raw.map((t) => this.shapes.trade(t));
  }


  /** Resolves every waiter with the buffered items; true when any of them was awaited. */
  private flushWaiters(waiters: "tradeWaiters" | "myTradeWaiters", buf: "tradeBuf" | "myTradeBuf"): boolean {
    const ws = this[waiters];
    this[waiters] = [];
    const list = this.drain(buf);
    let observed = false;
    for (const w of ws) {
      observed ||= w.promise.observed;
      w.resolve(list);
    }
    return observed;
  }

  private changedOrderList(): Order[] {
    const out: Order[] = [];
    for (const id of this.changedOrders) {
      const rec = this.order(id);
      if (rec !== undefined) out.push(this.shapes.order(rec));
    }
    this.changedOrders.clear();
    return out;
  }

  /** An answer from what this client already holds: awaiting code runs at this instant. */
  private answered<T>(v: T): Promise<T> {
    const d = deferred<T>();
    d.resolve(v);
    this.venue.settled();
    return d.promise;
  }

  private checkSymbol(symbol: string): void {
    if (symbol !== this.inst.symbol) {
      throw new BadRequest("unknown_symbol", `symbol: ${JSON.stringify(symbol)} is not traded here (only ${this.inst.symbol})`);
    }
  }

  private sideCode(side: SideName, field: string): Side {
    if (side === "buy") return Side.BUY;
    if (side === "sell") return Side.SELL;
    throw new BadRequest("invalid_order", `${field}: ${JSON.stringify(side)} is not "buy" or "sell"`);
  }

  private lots(amount: number, field: string): number {
    if (typeof amount !== "number" || !Number.isFinite(amount) || amount <= 0) {
      throw errorFor("invalid_size", `${field}: ${String(amount)} must be a positive finite number`);
    }
    const lots = amountToLots(this.inst, amount);
    if (!Number.isSafeInteger(lots)) {
      throw errorFor("lot_size", `${field}: ${amount} is not a multiple of the lot size ${this.inst.spec.lotSize}`);
    }
    return lots;
  }

  private ticks(price: number | undefined, field: string): number {
    if (typeof price !== "number" || !Number.isFinite(price) || price <= 0) {
      throw errorFor("invalid_price", `${field}: ${String(price)} must be a positive finite number`);
    }
    const ticks = priceToTicks(this.inst, price);
    if (!Number.isSafeInteger(ticks)) {
      throw errorFor("tick_size", `${field}: ${price} is not a multiple of the tick size ${this.inst.spec.tickSize}`);
    }
    return ticks;
  }

  private orderId(id: string, field: string): number {
    const n = Number(id);
    if (typeof id !== "string" || !Number.isSafeInteger(n) || n <= 0) {
      throw errorFor("unknown_order", `${field}: ${JSON.stringify(id)} is not an order id of this venue`);
    }
    return n;
  }

  private depthArg(limit: number, field: string): number {
    if (!Number.isSafeInteger(limit) || limit <= 0) throw new BadRequest("invalid_order", `${field}: ${limit} must be a positive integer`);
    return limit;
  }
}

function describe(what: string | (() => string)): string {
  return typeof what === "string" ? what : what();
}

/** A record to be filled in by its first use (all fields set there). */
function blankOrder(): OrderRec {
  return {
    id: 0, clientOrderId: undefined, side: Side.BUY, type: "limit", tif: "GTC", postOnly: false, price: 0, amount: 0,
    filled: 0, cost: 0, fee: 0, status: "open", reason: undefined, venueTs: 0, localTs: 0, lastTradeTs: undefined,
  };
}
