// The Exchange port: the one interface a bot trades through, named after ccxt's unified API.

/** ccxt's order types and sides, as strings at the port. */
export type OrderTypeName = "limit" | "market";
export type SideName = "buy" | "sell";
export type OrderStatus = "open" | "closed" | "canceled" | "expired" | "rejected";
export type TimeInForceName = "GTC" | "IOC" | "FOK" | "PO";

/** Extra order parameters, as ccxt's `params` argument. */
export interface OrderParams {
  readonly clientOrderId?: string;
  /** GTC (default), IOC, FOK, or PO (post-only, as ccxt spells it). */
  readonly timeInForce?: TimeInForceName;
  readonly postOnly?: boolean;
}

export interface Fee {
  /** Fee in `currency` units (a decimal, e.g. USDT). */
  readonly cost: number;
  readonly currency: string;
}

/**
 * Times at both ends of a message, as hftbacktest does: when the venue produced it and when
 * the agent saw it (nanoseconds of simulated time in the simulator; Unix ns live).
 */
export interface Stamps {
  readonly venueTs: number;
  readonly localTs: number;
}

/** An order in ccxt's unified shape. `timestamp` is Unix ms; `info` holds both stamps. */
export interface Order {
  readonly id: string;
  readonly clientOrderId: string | undefined;
  readonly timestamp: number;
  readonly datetime: string;
  readonly lastTradeTimestamp: number | undefined;
  readonly symbol: string;
  readonly type: OrderTypeName;
  readonly timeInForce: TimeInForceName;
  readonly postOnly: boolean;
  readonly side: SideName;
  /** Limit price; undefined for market orders. */
  readonly price: number | undefined;
  /** Volume-weighted average fill price, undefined before the first fill. */
  readonly average: number | undefined;
  readonly amount: number;
  readonly filled: number;
  readonly remaining: number;
  /** Filled notional in quote currency. */
  readonly cost: number;
  readonly status: OrderStatus;
  readonly fee: Fee;
  /** Why the order ended without filling, when it did (e.g. "ioc_remainder", "self_trade"). */
  readonly reason: string | undefined;
  readonly info: Stamps;
}

/** A public or private trade in ccxt's unified shape. */
export interface Trade {
  readonly id: string;
  readonly order: string | undefined;
  readonly timestamp: number;
  readonly datetime: string;
  readonly symbol: string;
  /** Taker's side for public trades, own side for private ones. */
  readonly side: SideName;
  readonly takerOrMaker: "taker" | "maker" | undefined;
  readonly price: number;
  readonly amount: number;
  readonly cost: number;
  readonly fee: Fee | undefined;
  readonly info: Stamps;
}

/** [price, amount] rows, best first, as ccxt. */
export type BookSide = readonly (readonly [number, number])[];

/** One candle as ccxt's fetchOHLCV gives it: [open time Unix ms, open, high, low, close, volume (base)]. */
export type OHLCV = [number, number, number, number, number, number];

export interface OrderBook {
  readonly symbol: string;
  readonly bids: BookSide;
  readonly asks: BookSide;
  readonly timestamp: number;
  readonly datetime: string;
  readonly nonce: number;
  readonly info: Stamps;
}

export interface BalanceEntry {
  readonly free: number;
  readonly used: number;
  readonly total: number;
}

/** ccxt's balance shape: per currency, plus `free`/`used`/`total` maps. */
export interface Balances {
  readonly [currency: string]: BalanceEntry | Readonly<Record<string, number>> | Stamps;
  readonly free: Readonly<Record<string, number>>;
  readonly used: Readonly<Record<string, number>>;
  readonly total: Readonly<Record<string, number>>;
  readonly info: Stamps;
}

/** Capabilities, as ccxt's `exchange.has`. A method absent or false here is not offered. */
export interface Capabilities {
  readonly createOrder: boolean;
  readonly cancelOrder: boolean;
  readonly editOrder: boolean;
  readonly fetchOrder: boolean;
  readonly fetchOpenOrders: boolean;
  readonly fetchBalance: boolean;
  readonly fetchOrderBook: boolean;
  readonly fetchMyTrades: boolean;
  readonly fetchOHLCV: boolean;
  readonly watchOrderBook: boolean;
  readonly watchTrades: boolean;
  readonly watchMyTrades: boolean;
  readonly watchOrders: boolean;
  readonly createPostOnlyOrder: boolean;
  readonly createMarketOrder: boolean;
  readonly selfTradePrevention: boolean;
}

/** The market rules a bot needs to size and price orders, as in ccxt's `markets[symbol]`. */
export interface MarketInfo {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly precision: { readonly price: number; readonly amount: number };
  readonly limits: { readonly cost: { readonly min: number } };
  readonly maker: number;
  readonly taker: number;
}

/**
 * What a bot sees of a venue: the same in simulation, replay, paper and live trading.
 * Every method is asynchronous, because at a real venue every answer takes time; in the
 * simulator the answer arrives after the modelled latency, on the simulated clock.
 * Refusals reject with an `ExchangeError` subclass carrying a stable `reason`.
 */
export interface Exchange {
  readonly id: string;
  readonly has: Capabilities;
  readonly markets: Readonly<Record<string, MarketInfo>>;
  createOrder(
    symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number,
    params?: OrderParams,
  ): Promise<Order>;
  cancelOrder(id: string, symbol: string): Promise<Order>;
  /** Changes price and/or open amount; reducing the amount at the same price keeps priority. */
  editOrder(
    id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number,
  ): Promise<Order>;
  fetchOrder(id: string, symbol: string): Promise<Order>;
  fetchOpenOrders(symbol?: string): Promise<Order[]>;
  fetchBalance(): Promise<Balances>;
  /** The venue's current time, Unix ms (ccxt's `milliseconds()`): simulated time in the simulator, recorded time in a replay. */
  milliseconds(): number;
  fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook>;
  fetchMyTrades(symbol?: string): Promise<Trade[]>;
  /**
   * Closed candles of `timeframe` ("1m" ...), oldest first: those opening at or after `since`
   * (Unix ms; the most recent when absent), at most `limit`. A candle still forming is never
   * returned, so a bar-based bot sees exactly what it would see from a recorded history.
   */
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<OHLCV[]>;
  /** Resolves with the book at its next change (ccxt pro). */
  watchOrderBook(symbol: string, limit?: number): Promise<OrderBook>;
  /** Resolves with the public trades since the previous call, waiting for at least one. */
  watchTrades(symbol: string): Promise<Trade[]>;
  /** Resolves with own fills since the previous call, waiting for at least one. */
  watchMyTrades(symbol?: string): Promise<Trade[]>;
  /** Resolves with own orders that changed since the previous call, waiting for one. */
  watchOrders(symbol?: string): Promise<Order[]>;
}

/** Base of every refusal at the port. `reason` is a stable snake_case code. */
export class ExchangeError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = "ExchangeError";
    this.reason = reason;
  }
}

/** The order breaks a venue rule (price, amount, tick, lot, min notional, post-only cross). */
export class InvalidOrder extends ExchangeError {
  constructor(reason: string, message: string) {
    super(reason, message);
    this.name = "InvalidOrder";
  }
}

export class InsufficientFunds extends ExchangeError {
  constructor(reason: string, message: string) {
    super(reason, message);
    this.name = "InsufficientFunds";
  }
}

/** The order is unknown, or already closed. */
export class OrderNotFound extends ExchangeError {
  constructor(reason: string, message: string) {
    super(reason, message);
    this.name = "OrderNotFound";
  }
}

/** The request is malformed (unknown symbol, unsupported parameter). */
export class BadRequest extends ExchangeError {
  constructor(reason: string, message: string) {
    super(reason, message);
    this.name = "BadRequest";
  }
}

/** The ccxt error class for a venue reject reason name. */
export function errorFor(reason: string, message: string): ExchangeError {
  switch (reason) {
    case "insufficient_balance":
      return new InsufficientFunds(reason, message);
    case "unknown_order":
    case "order_closed":
      return new OrderNotFound(reason, message);
    case "unknown_symbol":
    case "unknown_account":
      return new BadRequest(reason, message);
    default:
      return new InvalidOrder(reason, message);
  }
}

/** Names of the port's methods (its other members are data). */
export type ExchangeMethod = {
  [K in keyof Exchange]-?: Exchange[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Exchange];

/**
 * Every method of the port, at run time, for suites that must cover each one (the simulator's
 * timing conformance test): written as a record, so the compiler refuses a method of the
 * interface missing here, or a name here the interface lacks.
 */
export const EXCHANGE_METHODS: readonly ExchangeMethod[] = Object.keys({
  createOrder: true, cancelOrder: true, editOrder: true, fetchOrder: true, fetchOpenOrders: true,
  fetchBalance: true, milliseconds: true, fetchOrderBook: true, fetchMyTrades: true, fetchOHLCV: true,
  watchOrderBook: true, watchTrades: true, watchMyTrades: true, watchOrders: true,
} satisfies Record<ExchangeMethod, true>) as ExchangeMethod[];
