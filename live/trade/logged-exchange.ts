// The Exchange a live bot is handed: the venue's, with every order request, answer and refusal written to the session log.
import {
  ExchangeError,
  type Balances, type Capabilities, type Exchange, type MarketInfo, type OHLCV, type Order, type OrderBook,
  type OrderParams, type OrderTypeName, type SideName, type Trade,
} from "../../market/exchange.ts";
import type { JsonlLog } from "./log.ts";

const DONE: Readonly<Record<string, string>> = { create: "created", cancel: "canceled", edit: "edited" };

/** The fields of an order worth a log line. */
export function orderBrief(o: Order): Record<string, unknown> {
  return {
    id: o.id, clientOrderId: o.clientOrderId, symbol: o.symbol, type: o.type, side: o.side, price: o.price, amount: o.amount,
    filled: o.filled, average: o.average, cost: o.cost, status: o.status, fee: o.fee,
  };
}

/** The fields of a fill worth a log line. */
export function tradeBrief(t: Trade): Record<string, unknown> {
  return { id: t.id, order: t.order, timestamp: t.timestamp, symbol: t.symbol, side: t.side, price: t.price, amount: t.amount, cost: t.cost, fee: t.fee, takerOrMaker: t.takerOrMaker };
}

/**
 * Delegates every call to `inner`. createOrder, cancelOrder and editOrder write an `order` line
 * when sent (`action` create/cancel/edit) and one with the answer (created/canceled/edited) or
 * the refusal (refused, with its reason); reads are not logged.
 */
export class LoggedExchange implements Exchange {
  /** Orders sent (create and edit requests), whatever the answer. */
  ordersSent = 0;
  /** Order requests since the session last looked for fills. */
  unchecked = 0;
  /** Ids of this session's orders the venue last said were open. */
  readonly open = new Set<string>();

  /** @param onOrder called with each order request's wall ms to its answer or refusal, by action. */
  constructor(readonly inner: Exchange, private readonly log: JsonlLog, private readonly onOrder?: (ms: number, action: "create" | "cancel" | "edit") => void) {}

  get id(): string {
    return this.inner.id;
  }
  get has(): Capabilities {
    return this.inner.has;
  }
  get markets(): Readonly<Record<string, MarketInfo>> {
    return this.inner.markets;
  }

  async createOrder(symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number, params?: OrderParams): Promise<Order> {
    this.ordersSent++;
    return this.logged("create", { symbol, type, side, amount, price, params }, () => this.inner.createOrder(symbol, type, side, amount, price, params));
  }

  async cancelOrder(id: string, symbol: string): Promise<Order> {
    return this.logged("cancel", { id, symbol }, () => this.inner.cancelOrder(id, symbol));
  }

  async editOrder(id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number): Promise<Order> {
    this.ordersSent++;
    return this.logged("edit", { id, symbol, type, side, amount, price }, () => this.inner.editOrder(id, symbol, type, side, amount, price));
  }

  private async logged(action: "create" | "cancel" | "edit", request: Record<string, unknown>, send: () => Promise<Order>): Promise<Order> {
    this.unchecked++;
    this.log.record("order", { action, ...request });
    const t0 = performance.now();
    try {
      const o = await send();
      this.onOrder?.(performance.now() - t0, action);
      this.log.record("order", { action: DONE[action], ...orderBrief(o) });
      this.track(o);
      return o;
    } catch (e) {
      this.log.record("order", { action: "refused", request: action, reason: e instanceof ExchangeError ? e.reason : "error", message: (e as Error).message });
      throw e;
    }
  }

  private track(o: Order): void {
    if (o.status === "open") this.open.add(o.id);
    else this.open.delete(o.id);
  }

  fetchOrder(id: string, symbol: string): Promise<Order> {
    return this.inner.fetchOrder(id, symbol);
  }
  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.inner.fetchOpenOrders(symbol);
  }
  fetchBalance(): Promise<Balances> {
    return this.inner.fetchBalance();
  }
  milliseconds(): number {
    return this.inner.milliseconds();
  }
  fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    return this.inner.fetchOrderBook(symbol, limit);
  }
  fetchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.inner.fetchMyTrades(symbol);
  }
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<OHLCV[]> {
    return this.inner.fetchOHLCV(symbol, timeframe, since, limit);
  }
  watchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    return this.inner.watchOrderBook(symbol, limit);
  }
  watchTrades(symbol: string): Promise<Trade[]> {
    return this.inner.watchTrades(symbol);
  }
  watchMyTrades(symbol?: string): Promise<Trade[]> {
    return this.inner.watchMyTrades(symbol);
  }
  watchOrders(symbol?: string): Promise<Order[]> {
    return this.inner.watchOrders(symbol);
  }
}
