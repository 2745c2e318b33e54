// SimExchange: one agent's client of the simulated venue, the Exchange port and the population fast path in one object.
import type {
  Balances,
  Capabilities,
  Exchange,
  OHLCV,
  Order,
  OrderBook,
  OrderParams,
  OrderTypeName,
  SideName,
  Trade,
} from "./exchange.ts";
import type { RawTrade } from "./ccxt-shapes.ts";
import { AcceptedCol, Col, decodeEvent, EVENT_STRIDE, OrderCol, RejectedCol, TradeCol } from "./event-log.ts";
import type { HistoryLimits, OrderRec } from "./sim-order-cache.ts";
import type { SimListener } from "./sim-population-port.ts";
import { SimCcxtAdapter } from "./sim-ccxt.ts";
import { SimPopulationClient } from "./sim-population.ts";
import type { SimVenue, VenueBatch } from "./sim-venue.ts";
import { EventKind, type RejectReason, type TradeEvent } from "./types.ts";

export type { HistoryLimits, SimListener };

/**
 * The client a simulated agent holds: requests travel to the venue with the agent's order
 * latency; answers, fills and market data come back with its data latency. It is made of
 * parts with one job each, and its own job is to route what arrives to them:
 * - `SimRequests` (sim-requests.ts): the line to the venue, and every promise's settling;
 * - `OrderCache` (sim-order-cache.ts): the client's orders and fills, with history limits;
 * - `SimCcxtAdapter` (sim-ccxt.ts): the `Exchange` port a bot uses;
 * - `SimPopulationClient` (sim-population.ts, the base class): the connection and the
 *   `PopulationPort` fast path populations use.
 */
export class SimExchange extends SimPopulationClient implements Exchange {
  readonly id: string;
  readonly has: Capabilities;
  /** Closed history kept (see HistoryLimits); set before the run starts. */
  readonly options: HistoryLimits;
  private readonly ccxt: SimCcxtAdapter;

  /** @param feedDelayNs how far behind venue time this client's view of the top of book is. */
  constructor(venue: SimVenue, agent: number, feedDelayNs = 0) {
    super(venue, agent, feedDelayNs);
    this.options = this.cache.limits;
    this.ccxt = new SimCcxtAdapter(venue, this.rq, this.cache, this.markets);
    this.id = this.ccxt.id;
    this.has = this.ccxt.has;
  }

  // ---------------------------------------------------------------- Exchange (sim-ccxt.ts)

  createOrder(symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number, params?: OrderParams): Promise<Order> {
    return this.ccxt.createOrder(symbol, type, side, amount, price, params);
  }
  cancelOrder(id: string, symbol: string): Promise<Order> {
    return this.ccxt.cancelOrder(id, symbol);
  }
  editOrder(id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number): Promise<Order> {
    return this.ccxt.editOrder(id, symbol, type, side, amount, price);
  }
  fetchOrder(id: string, symbol: string): Promise<Order> {
    return this.ccxt.fetchOrder(id, symbol);
  }
  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.ccxt.fetchOpenOrders(symbol);
  }
  fetchBalance(): Promise<Balances> {
    return this.ccxt.fetchBalance();
  }
  milliseconds(): number {
    return this.ccxt.milliseconds();
  }
  fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    return this.ccxt.fetchOrderBook(symbol, limit);
  }
  fetchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.ccxt.fetchMyTrades(symbol);
  }
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<OHLCV[]> {
    return this.ccxt.fetchOHLCV(symbol, timeframe, since, limit);
  }
  watchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    return this.ccxt.watchOrderBook(symbol, limit);
  }
  watchTrades(symbol: string): Promise<Trade[]> {
    return this.ccxt.watchTrades(symbol);
  }
  watchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.ccxt.watchMyTrades(symbol);
  }
  watchOrders(symbol?: string): Promise<Order[]> {
    return this.ccxt.watchOrders(symbol);
  }
  /** The last book this agent received from a watch, if any (ccxt pro's cached book). */
  get cachedBook(): OrderBook | undefined {
    return this.ccxt.cachedBook;
  }

  // ---------------------------------------------------------------- inbound

  /** Applies one venue message at the agent's local time `now`. */
  override receive(batch: VenueBatch, now: number): void {
    let rejected: RejectReason | 0 = 0;
    const rows = batch.rows;
    const me = this.account;
    for (let o = batch.rowsFrom; o < batch.rowsTo; o += EVENT_STRIDE) {
      const kind = rows[o + Col.KIND];
      if (kind === EventKind.TRADE) {
        if (this.ccxt.watchesTrades || rows[o + TradeCol.TAKER_ACCOUNT] === me || rows[o + TradeCol.MAKER_ACCOUNT] === me) this.onTrade(rows, o, batch.venueTs, now);
      } else if (rows[o + OrderCol.ACCOUNT] === me) {
        if (kind === EventKind.REJECTED) rejected = rows[o + RejectedCol.REASON] as RejectReason;
        else this.onOrderEvent(rows, o, batch.venueTs, now);
      }
    }
    // Most messages carry only events; answers and books are read only when there are some.
    if (batch.reqId !== 0 || batch.book !== undefined) this.ccxt.onAnswer(batch, rejected, now);
    this.ccxt.flushStreams();
    // Only now, so the answer and the streams of this message still see an order that closed
    // in it (one that filled on arrival), whatever the limit.
    this.cache.endOfMessage();
  }

  /** An own order event (accepted, amended, canceled, expired) at float offset `o` of `rows`. */
  private onOrderEvent(rows: Float64Array, o: number, venueTs: number, localTs: number): void {
    const kind = rows[o + Col.KIND] as EventKind;
    const cache = this.cache;
    let rec: OrderRec | undefined;
    if (kind === EventKind.ACCEPTED) {
      rec = cache.accepted(rows, o, this.ccxt.clientName(rows[o + AcceptedCol.CLIENT_ORDER_ID]), venueTs, localTs);
    } else if (kind === EventKind.AMENDED) {
      rec = cache.amended(rows, o);
    } else {
      rec = cache.ended(rows, o, kind === EventKind.CANCELED ? "canceled" : "expired");
    }
    if (rec === undefined) return;
    this.ccxt.touch(rec.id);
    this.listener?.onOrder?.(rec);
  }

  /** A trade at float offset `o` of `rows`: public (when subscribed) and/or one of this client's fills. */
  private onTrade(rows: Float64Array, o: number, venueTs: number, localTs: number): void {
    const me = this.account;
    const ccxt = this.ccxt;
    const takerAccount = rows[o + TradeCol.TAKER_ACCOUNT];
    const mine = rows[o + TradeCol.MAKER_ACCOUNT] === me || takerAccount === me;
    // Trades are kept raw and turned into ccxt objects only when somebody reads them; the
    // event object is built only when a trade is kept.
    const keep = mine && (this.cache.keepsFills || ccxt.watchesMyTrades);
    let ev: TradeEvent | undefined;
    let stamps: { venueTs: number; localTs: number } | undefined;
    if (ccxt.watchesTrades || keep) {
      ev = decodeEvent(rows, o / EVENT_STRIDE) as TradeEvent;
      stamps = { venueTs, localTs };
      if (ccxt.watchesTrades) ccxt.onPublicTrade({ ev, stamps, asTaker: false, mine: false });
    }
    if (!mine) return;
    // A self-trade (possible only with prevention off) is reported from the taker's side.
    const asTaker = takerAccount === me;
    const orderId = asTaker ? rows[o + TradeCol.TAKER_ORDER_ID] : rows[o + TradeCol.MAKER_ORDER_ID];
    const price = rows[o + TradeCol.PRICE];
    const size = rows[o + TradeCol.SIZE];
    const fee = asTaker ? rows[o + TradeCol.TAKER_FEE] : rows[o + TradeCol.MAKER_FEE];
    const rec = this.cache.filled(orderId, price, size, fee, venueTs);
    if (rec !== undefined) {
      ccxt.touch(orderId);
      const l = this.listener;
      if (l !== undefined) {
        l.onFill?.(rec, price, size, fee, asTaker);
        l.onOrder?.(rec);
      }
    }
    if (!keep) return;
    const raw: RawTrade = { ev: ev!, stamps: stamps!, asTaker, mine: true };
    this.cache.addFill(raw);
    ccxt.onMyTrade(raw);
  }
}
