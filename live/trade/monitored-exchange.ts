// The venue as `arena trade --metrics-port` sees it: every call through the monitor's api() (timed, counted, reachability), market data stamped for freshness.
import type {
  Balances, Capabilities, Exchange, MarketInfo, OHLCV, Order, OrderBook, OrderParams, OrderTypeName, SideName, Trade,
} from "../../market/exchange.ts";
import type { TradingMonitor } from "../monitoring/monitor.ts";

/**
 * Delegates every call to `inner` through `monitor.api(name, ...)`: requests and errors by
 * endpoint, their latency, and a network failure marking the venue unreachable (/health 503)
 * until the next answer. A book, candles or trades received count as market data (its age).
 */
export class MonitoredExchange implements Exchange {
  constructor(readonly inner: Exchange, private readonly m: TradingMonitor) {}

  get id(): string {
    return this.inner.id;
  }
  get has(): Capabilities {
    return this.inner.has;
  }
  get markets(): Readonly<Record<string, MarketInfo>> {
    return this.inner.markets;
  }
  milliseconds(): number {
    return this.inner.milliseconds();
  }

  createOrder(symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number, params?: OrderParams): Promise<Order> {
    return this.m.api("createOrder", () => this.inner.createOrder(symbol, type, side, amount, price, params));
  }
  cancelOrder(id: string, symbol: string): Promise<Order> {
    return this.m.api("cancelOrder", () => this.inner.cancelOrder(id, symbol));
  }
  editOrder(id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number): Promise<Order> {
    return this.m.api("editOrder", () => this.inner.editOrder(id, symbol, type, side, amount, price));
  }
  fetchOrder(id: string, symbol: string): Promise<Order> {
    return this.m.api("fetchOrder", () => this.inner.fetchOrder(id, symbol));
  }
  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.m.api("fetchOpenOrders", () => this.inner.fetchOpenOrders(symbol));
  }
  fetchBalance(): Promise<Balances> {
    return this.m.api("fetchBalance", () => this.inner.fetchBalance());
  }
  fetchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.m.api("fetchMyTrades", () => this.inner.fetchMyTrades(symbol));
  }
  async fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    return this.book(await this.m.api("fetchOrderBook", () => this.inner.fetchOrderBook(symbol, limit)));
  }
  async fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<OHLCV[]> {
    const bars = await this.m.api("fetchOHLCV", () => this.inner.fetchOHLCV(symbol, timeframe, since, limit));
    // A closed candle is as old as its open plus its length; its open is all it carries, so data age counts from the call.
    this.m.onMarketData(this.inner.milliseconds());
    return bars;
  }
  async watchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    return this.book(await this.m.api("watchOrderBook", () => this.inner.watchOrderBook(symbol, limit)));
  }
  async watchTrades(symbol: string): Promise<Trade[]> {
    const ts = await this.m.api("watchTrades", () => this.inner.watchTrades(symbol));
    this.m.onMarketData(ts.at(-1)?.timestamp ?? this.inner.milliseconds());
    return ts;
  }
  watchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.m.api("watchMyTrades", () => this.inner.watchMyTrades(symbol));
  }
  watchOrders(symbol?: string): Promise<Order[]> {
    return this.m.api("watchOrders", () => this.inner.watchOrders(symbol));
  }

  private book(b: OrderBook): OrderBook {
    this.m.onMarketData(b.timestamp);
    return b;
  }
}
