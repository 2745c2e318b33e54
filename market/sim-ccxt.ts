// The Exchange port of a simulated client: ccxt's promise API, shapes and errors over the order cache.
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
import { CcxtShapes, type RawTrade } from "./ccxt-shapes.ts";
import { amountToLots, priceToTicks, type Instrument } from "./instrument.ts";
import type { OrderCache } from "./sim-order-cache.ts";
import { Waiters, type Pending, type SimRequests, type What } from "./sim-requests.ts";
import { RequestKind, type BookSnapshot, type SimVenue, type VenueBatch } from "./sim-venue.ts";
import { OrderType, rejectReasonName, Side, TimeInForce, type RejectReason } from "./types.ts";

const SIM_CAPABILITIES: Capabilities = Object.freeze({
  createOrder: true, cancelOrder: true, editOrder: true, fetchOrder: true, fetchOpenOrders: true,
  fetchBalance: true, fetchOrderBook: true, fetchMyTrades: true, fetchOHLCV: true, watchOrderBook: true,
  watchTrades: true, watchMyTrades: true, watchOrders: true, createPostOnlyOrder: true,
  createMarketOrder: true, selfTradePrevention: true,
});

/**
 * The `Exchange` a simulated bot holds. Every method passes through `SimRequests.call`, which
 * owns when its promise settles: round trips after the agent's order latency to the venue and
 * its data latency back, answers from the client's state and refusals at once, stream waits
 * when the next item arrives. Orders and fills are read from the client's `OrderCache`;
 * what reaches the client is fed in by its `SimExchange` (`onAnswer`, `onPublicTrade`, ...).
 */
export class SimCcxtAdapter implements Exchange {
  readonly id = "sim";
  readonly has = SIM_CAPABILITIES;
  private readonly inst: Instrument;
  private readonly shapes: CcxtShapes;
  private readonly clientIds = new Map<string, number>();
  /** The reverse of `clientIds`: the engine reports numbers, the caller gave strings. */
  private readonly clientNames: string[] = [];
  private bookDepth = 0;
  /** Whether this client subscribed to public trades / watches its own fills / its orders. */
  private tradesOn = false;
  private myTradesOn = false;
  private ordersOn = false;
  private readonly bookWaiters = new Waiters<OrderBook>();
  private readonly tradeWaiters = new Waiters<Trade[]>();
  private readonly myTradeWaiters = new Waiters<Trade[]>();
  private readonly orderWaiters = new Waiters<Order[]>();
  private tradeBuf: RawTrade[] = [];
  private myTradeBuf: RawTrade[] = [];
  private readonly changedOrders = new Set<number>();
  private lastBook: OrderBook | undefined;

  constructor(
    private readonly venue: SimVenue, private readonly rq: SimRequests, private readonly cache: OrderCache,
    readonly markets: Readonly<Record<string, MarketInfo>>,
  ) {
    this.inst = venue.instrument;
    this.shapes = new CcxtShapes(venue.instrument, venue.epochMs);
  }

  // ---------------------------------------------------------------- trading

  createOrder(
    symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number,
    params: OrderParams = {},
  ): Promise<Order> {
    return this.rq.call(() => {
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
      const r = this.rq.request(RequestKind.SUBMIT, 0);
      r.side = sideCode;
      r.orderType = type === "limit" ? OrderType.LIMIT : OrderType.MARKET;
      r.tif = tif === "IOC" ? TimeInForce.IOC : tif === "FOK" ? TimeInForce.FOK : TimeInForce.GTC;
      r.postOnly = postOnly;
      r.price = ticks;
      r.size = size;
      r.clientOrderId = cid;
      return this.rq.roundTrip<Order>(
        r,
        () => `createOrder(${type} ${side} ${amount}${price === undefined ? "" : ` @ ${price}`}${params.clientOrderId === undefined ? "" : `, clientOrderId ${JSON.stringify(params.clientOrderId)}`})`,
      );
    });
  }

  cancelOrder(id: string, symbol: string): Promise<Order> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      return this.rq.roundTrip<Order>(this.rq.request(RequestKind.CANCEL, this.orderId(id, "cancelOrder.id")), () => `cancelOrder(${id})`);
    });
  }

  editOrder(
    id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number,
  ): Promise<Order> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      const orderId = this.orderId(id, "editOrder.id");
      if (type !== "limit") throw new BadRequest("invalid_order", `editOrder.type: ${JSON.stringify(type)}: only limit orders rest and can be edited`);
      const sideCode = this.sideCode(side, "editOrder.side");
      const rec = this.cache.order(orderId);
      if (rec !== undefined && rec.side !== sideCode) {
        throw new BadRequest("invalid_order", `editOrder.side: ${JSON.stringify(side)} differs from the order's side`);
      }
      const ticks = this.ticks(price, "editOrder.price");
      const size = this.lots(amount, "editOrder.amount");
      const r = this.rq.request(RequestKind.AMEND, orderId);
      r.price = ticks;
      r.size = size;
      return this.rq.roundTrip<Order>(r, () => `editOrder(${id}, ${amount} @ ${price})`);
    });
  }

  // ---------------------------------------------------------------- queries
  // Order and trade queries make a round trip to the venue, then answer from this client's
  // state: every private event the venue sent before the answer has arrived by then (FIFO).

  fetchOrder(id: string, symbol: string): Promise<Order> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      const orderId = this.orderId(id, "fetchOrder.id");
      return this.rq.roundTrip<Order>(this.rq.request(RequestKind.PING, 0), "fetchOrder", () => {
        const rec = this.cache.order(orderId);
        if (rec === undefined) throw errorFor("unknown_order", `fetchOrder(${id}): unknown_order`);
        return this.shapes.order(rec);
      });
    });
  }

  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.rq.call(() => {
      if (symbol !== undefined) this.checkSymbol(symbol);
      return this.rq.roundTrip<Order[]>(this.rq.request(RequestKind.PING, 0), "fetchOpenOrders", () => {
        const out: Order[] = [];
        for (const rec of this.cache.openOrders()) out.push(this.shapes.order(rec));
        return out;
      });
    });
  }

  fetchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.rq.call(() => {
      if (symbol !== undefined) this.checkSymbol(symbol);
      return this.rq.roundTrip<Trade[]>(this.rq.request(RequestKind.PING, 0), "fetchMyTrades", () => this.cache.recentFills().map((t) => this.shapes.trade(t)));
    });
  }

  /** 1-minute candles only (what the venue keeps); closed by the time the request is sent. */
  fetchOHLCV(symbol: string, timeframe = "1m", since?: number, limit = 500): Promise<OHLCV[]> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      if (timeframe !== "1m") throw new BadRequest("unsupported_timeframe", `fetchOHLCV.timeframe: ${JSON.stringify(timeframe)} is not offered (the simulator keeps 1m candles)`);
      if (since !== undefined && !Number.isFinite(since)) throw new BadRequest("bad_argument", `fetchOHLCV.since: ${since} is not a time in Unix ms`);
      if (!Number.isSafeInteger(limit) || limit < 1) throw new BadRequest("bad_argument", `fetchOHLCV.limit: ${limit} is not a positive integer`);
      const source = this.venue.candles;
      if (source === undefined) throw new BadRequest("not_supported", "fetchOHLCV: this venue keeps no candles");
      const untilNs = this.venue.now;
      return this.rq.roundTrip<OHLCV[]>(this.rq.request(RequestKind.PING, 0), "fetchOHLCV", () => source.candles(untilNs, since, limit));
    });
  }

  /** The one synchronous method: the venue's clock as this client reads it, no message. */
  milliseconds(): number {
    return this.shapes.ms(this.venue.now);
  }

  fetchBalance(): Promise<Balances> {
    return this.rq.call(() => this.rq.roundTrip<Balances>(this.rq.request(RequestKind.BALANCE, 0), "fetchBalance"));
  }

  fetchOrderBook(symbol: string, limit = 100): Promise<OrderBook> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      const depth = this.depthArg(limit, "fetchOrderBook.limit");
      const r = this.rq.request(RequestKind.BOOK, 0);
      r.depth = depth;
      return this.rq.roundTrip<OrderBook>(r, "fetchOrderBook");
    });
  }

  // ---------------------------------------------------------------- streams

  watchOrderBook(symbol: string, limit = 100): Promise<OrderBook> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      const depth = this.depthArg(limit, "watchOrderBook.limit");
      if (depth > this.bookDepth) {
        this.bookDepth = depth;
        const r = this.rq.request(RequestKind.SUBSCRIBE_BOOK, 0);
        r.depth = depth;
        this.rq.post(r);
      }
      return this.rq.next(this.bookWaiters, depth);
    });
  }

  watchTrades(symbol: string): Promise<Trade[]> {
    return this.rq.call(() => {
      this.checkSymbol(symbol);
      if (!this.tradesOn) {
        this.tradesOn = true;
        this.rq.post(this.rq.request(RequestKind.SUBSCRIBE_TRADES, 0));
      }
      if (this.tradeBuf.length > 0) return this.rq.now(this.drain("tradeBuf"));
      return this.rq.next(this.tradeWaiters);
    });
  }

  watchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.rq.call(() => {
      if (symbol !== undefined) this.checkSymbol(symbol);
      this.myTradesOn = true;
      if (this.myTradeBuf.length > 0) return this.rq.now(this.drain("myTradeBuf"));
      return this.rq.next(this.myTradeWaiters);
    });
  }

  watchOrders(symbol?: string): Promise<Order[]> {
    return this.rq.call(() => {
      if (symbol !== undefined) this.checkSymbol(symbol);
      this.ordersOn = true;
      if (this.changedOrders.size > 0) return this.rq.now(this.changedOrderList());
      return this.rq.next(this.orderWaiters);
    });
  }

  /** The last book this client received from a watch, if any (ccxt pro's cached book). */
  get cachedBook(): OrderBook | undefined {
    return this.lastBook;
  }

  // ---------------------------------------------------------------- inbound (from SimExchange)

  /** Whether every public trade should be handed over (`onPublicTrade`): watchTrades was called. */
  get watchesTrades(): boolean {
    return this.tradesOn;
  }

  /** Whether own fills should be handed over (`onMyTrade`): watchMyTrades was called. */
  get watchesMyTrades(): boolean {
    return this.myTradesOn;
  }

  /** The clientOrderId this client gave for the engine's number `cid` (0: none). */
  clientName(cid: number): string | undefined {
    return cid === 0 ? undefined : this.clientNames[cid];
  }

  /** An own order changed: watchOrders lists it. */
  touch(orderId: number): void {
    if (!this.ordersOn) return;
    this.changedOrders.delete(orderId);
    this.changedOrders.add(orderId);
  }

  /** A public trade, when subscribed. */
  onPublicTrade(t: RawTrade): void {
    this.tradeBuf.push(t);
  }

  /** An own fill, when watched. */
  onMyTrade(t: RawTrade): void {
    if (this.myTradesOn) this.myTradeBuf.push(t);
  }

  /**
   * A message carrying the answer to a round trip (`batch.reqId`) and/or a book change, at
   * local time `now`; `rejected` is the venue's refusal of the request found among its rows.
   */
  onAnswer(batch: VenueBatch, rejected: RejectReason | 0, now: number): void {
    const stamps: Stamps = { venueTs: batch.venueTs, localTs: now };
    if (batch.reqId !== 0) {
      const p = this.rq.take(batch.reqId);
      if (p !== undefined) this.answer(p, batch, rejected, stamps);
    }
    const book = batch.book;
    if (book !== undefined && this.bookDepth > 0) {
      const depth = this.bookDepth;
      const last = this.shapes.book(book, stamps, depth);
      this.lastBook = last;
      if (this.bookWaiters.size > 0) this.rq.resolveAll(this.bookWaiters, (limit) => (limit >= depth ? last : this.shapes.book(book, stamps, limit)));
    }
  }

  /** Hands buffered trades and order changes to stream watchers. */
  flushStreams(): void {
    if (this.tradeWaiters.size > 0 && this.tradeBuf.length > 0) {
      const list = this.drain("tradeBuf");
      this.rq.resolveAll(this.tradeWaiters, () => list);
    }
    if (this.myTradeWaiters.size > 0 && this.myTradeBuf.length > 0) {
      const list = this.drain("myTradeBuf");
      this.rq.resolveAll(this.myTradeWaiters, () => list);
    }
    if (this.orderWaiters.size > 0 && this.changedOrders.size > 0) {
      const list = this.changedOrderList();
      this.rq.resolveAll(this.orderWaiters, () => list);
    }
  }

  private answer(p: Pending, batch: VenueBatch, rejected: RejectReason | 0, stamps: Stamps): void {
    const d = p.d;
    switch (p.kind) {
      case RequestKind.SUBMIT:
      case RequestKind.CANCEL:
      case RequestKind.AMEND: {
        if (rejected !== 0 || batch.result === 0 || batch.result === false) {
          const name = rejected === 0 ? "invalid_order" : rejectReasonName[rejected];
          this.rq.reject(d, errorFor(name, `${describe(p.what)} rejected: ${name}`));
          return;
        }
        const id = p.kind === RequestKind.SUBMIT ? (batch.result as number) : p.orderId;
        const rec = this.cache.order(id);
        if (rec === undefined) {
          this.rq.reject(d, errorFor("unknown_order", `${describe(p.what)}: order ${id} not in the event stream`));
        } else {
          // The order as it stands at this answer, built only if someone looks at it.
          const snapshot = { ...rec };
          this.rq.resolveLazily(d, () => this.shapes.order(snapshot));
        }
        return;
      }
      case RequestKind.BOOK:
        this.rq.resolve(d, this.shapes.book(batch.result as BookSnapshot, stamps, Infinity));
        return;
      case RequestKind.BALANCE:
        this.rq.resolve(d, this.shapes.balances(batch.result as readonly number[], stamps));
        return;
      default:
        if (p.after === undefined) {
          this.rq.resolve(d, undefined);
          return;
        }
        try {
          this.rq.resolve(d, p.after());
        } catch (err) {
          this.rq.reject(d, err as Error);
        }
    }
  }

  // ---------------------------------------------------------------- helpers

  private drain(buf: "tradeBuf" | "myTradeBuf"): Trade[] {
    const raw = this[buf];
    this[buf] = [];
    return raw.map((t) => this.shapes.trade(t));
  }

  private changedOrderList(): Order[] {
    const out: Order[] = [];
    for (const id of this.changedOrders) {
      const rec = this.cache.order(id);
      if (rec !== undefined) out.push(this.shapes.order(rec));
    }
    this.changedOrders.clear();
    return out;
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

function describe(what: What): string {
  return typeof what === "string" ? what : what();
}
