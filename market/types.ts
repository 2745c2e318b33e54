// Numeric codes and tagged-union event types shared by the engine, the event log and every consumer.

/** Order side. Numeric so the engine can keep it in a typed array. */
export const Side = { BUY: 0, SELL: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const OrderType = { LIMIT: 0, MARKET: 1 } as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** Time in force. Market orders are always treated as IOC unless FOK is asked for. */
export const TimeInForce = { GTC: 0, IOC: 1, FOK: 2 } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/**
 * Why the venue refused a request. The book and the balances are left exactly as they were.
 * Codes are stable: they are written into the event log and therefore into run digests.
 */
export const RejectReason = {
  INVALID_PRICE: 1,
  INVALID_SIZE: 2,
  TICK_SIZE: 3,
  LOT_SIZE: 4,
  MIN_NOTIONAL: 5,
  INSUFFICIENT_BALANCE: 6,
  POST_ONLY_WOULD_CROSS: 7,
  UNKNOWN_ORDER: 8,
  ORDER_CLOSED: 9,
  DUPLICATE_CLIENT_ORDER_ID: 10,
  NOTIONAL_TOO_LARGE: 11,
  UNKNOWN_ACCOUNT: 12,
  INVALID_ORDER: 13,
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** Names of reject reasons, as they appear in JSON and in the Exchange port's errors. */
export const rejectReasonName: Readonly<Record<RejectReason, string>> = {
  1: "invalid_price",
  2: "invalid_size",
  3: "tick_size",
  4: "lot_size",
  5: "min_notional",
  6: "insufficient_balance",
  7: "post_only_would_cross",
  8: "unknown_order",
  9: "order_closed",
  10: "duplicate_client_order_id",
  11: "notional_too_large",
  12: "unknown_account",
  13: "invalid_order",
};

/** Which request a rejection answers. */
export const RequestOp = { SUBMIT: 0, CANCEL: 1, AMEND: 2 } as const;
export type RequestOp = (typeof RequestOp)[keyof typeof RequestOp];

/** Why an order left the book without the owner asking (expired) or with (canceled). */
export const EndReason = {
  USER: 0,
  IOC_REMAINDER: 1,
  FOK_UNFILLABLE: 2,
  NO_LIQUIDITY: 3,
  INSUFFICIENT_BALANCE: 4,
  SELF_TRADE: 5,
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

export const endReasonName: Readonly<Record<EndReason, string>> = {
  0: "user",
  1: "ioc_remainder",
  2: "fok_unfillable",
  3: "no_liquidity",
  4: "insufficient_balance",
  5: "self_trade",
};

/**
 * Self-trade prevention: what happens when an incoming order would match a resting order of
 * the same account. Default `CANCEL_RESTING` (Binance's EXPIRE_MAKER): the resting order is
 * canceled with reason self_trade and matching continues, so a bot's fresh intent wins over
 * its stale quote.
 */
export const SelfTradePrevention = { CANCEL_RESTING: 0, CANCEL_TAKER: 1, CANCEL_BOTH: 2 } as const;
export type SelfTradePrevention = (typeof SelfTradePrevention)[keyof typeof SelfTradePrevention];

/** Event kinds, as stored in column 0 of the event log. Stable: part of the digest. */
export const EventKind = {
  ACCEPTED: 1,
  REJECTED: 2,
  TRADE: 3,
  CANCELED: 4,
  AMENDED: 5,
  EXPIRED: 6,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** An order the venue took. Prices in ticks, sizes in lots, `ts` in ns of venue time. */
export interface AcceptedEvent {
  readonly type: "accepted";
  readonly ts: number;
  readonly orderId: number;
  readonly account: number;
  readonly clientOrderId: number;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly tif: TimeInForce;
  readonly postOnly: boolean;
  /** Limit price in ticks; 0 for market orders. */
  readonly price: number;
  readonly size: number;
}

export interface RejectedEvent {
  readonly type: "rejected";
  readonly ts: number;
  /** The order a cancel/amend targeted, or 0 for a refused submission. */
  readonly orderId: number;
  readonly account: number;
  readonly clientOrderId: number;
  readonly op: RequestOp;
  readonly reason: RejectReason;
}

/** One fill between a resting (maker) and an incoming (taker) order. Fees in quote units. */
export interface TradeEvent {
  readonly type: "trade";
  readonly ts: number;
  readonly tradeId: number;
  readonly price: number;
  readonly size: number;
  readonly makerOrderId: number;
  readonly takerOrderId: number;
  readonly makerAccount: number;
  readonly takerAccount: number;
  readonly makerFee: number;
  readonly takerFee: number;
  /** Side of the taker. */
  readonly aggressor: Side;
}

export interface CanceledEvent {
  readonly type: "canceled";
  readonly ts: number;
  readonly orderId: number;
  readonly account: number;
  /** Lots that were still open. */
  readonly remaining: number;
  readonly reason: EndReason;
}

export interface AmendedEvent {
  readonly type: "amended";
  readonly ts: number;
  readonly orderId: number;
  readonly account: number;
  readonly price: number;
  /** New open size in lots. */
  readonly size: number;
  /** True when the order kept its place in the queue (size reduced at the same price). */
  readonly priorityKept: boolean;
}

export interface ExpiredEvent {
  readonly type: "expired";
  readonly ts: number;
  readonly orderId: number;
  readonly account: number;
  readonly remaining: number;
  readonly reason: EndReason;
}

export type EngineEvent =
  | AcceptedEvent
  | RejectedEvent
  | TradeEvent
  | CanceledEvent
  | AmendedEvent
  | ExpiredEvent;

/**
 * Where the engine writes what happened. Primitive arguments only, so the hot path allocates
 * nothing; `EventLog` is the standard implementation.
 */
export interface EventSink {
  accepted(
    ts: number, orderId: number, account: number, clientOrderId: number, side: Side,
    orderType: OrderType, tif: TimeInForce, postOnly: boolean, price: number, size: number,
  ): void;
  rejected(
    ts: number, orderId: number, account: number, clientOrderId: number, op: RequestOp,
    reason: RejectReason,
  ): void;
  trade(
    ts: number, tradeId: number, price: number, size: number, makerOrderId: number,
    takerOrderId: number, makerAccount: number, takerAccount: number, makerFee: number,
    takerFee: number, aggressor: Side,
  ): void;
  canceled(ts: number, orderId: number, account: number, remaining: number, reason: EndReason): void;
  amended(
    ts: number, orderId: number, account: number, price: number, size: number,
    priorityKept: boolean,
  ): void;
  expired(ts: number, orderId: number, account: number, remaining: number, reason: EndReason): void;
}
