// Binance's error answers ({code, msg} with an HTTP status) as one class, and the codes this venue sends.

/** A refusal sent as Binance sends it: HTTP `status`, body `{"code": code, "msg": msg}`. */
export class BinanceError extends Error {
  constructor(readonly status: number, readonly code: number, msg: string, readonly headers: Readonly<Record<string, string>> = {}) {
    super(msg);
    this.name = "BinanceError";
  }
}

/** Binance's codes and messages (binance-spot-api-docs, errors.md); ccxt maps them to its error classes. */
export const err = {
  unknown: (msg: string) => new BinanceError(500, -1000, msg),
  tooMuchWeight: (limit: number, retryAfterS: number) =>
    new BinanceError(429, -1003, `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`, { "Retry-After": String(retryAfterS) }),
  timestamp: (ts: number, serverMs: number, recvWindow: number) =>
    new BinanceError(400, -1021, `Timestamp for this request is outside of the recvWindow (timestamp ${ts}, server time ${serverMs}, recvWindow ${recvWindow}).`),
  signature: () => new BinanceError(400, -1022, "Signature for this request is not valid."),
  illegal: (name: string, value: string, rule: string) => new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '${rule}' (got ${JSON.stringify(value)}).`),
  mandatory: (name: string) => new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  notRequired: (name: string) => new BinanceError(400, -1106, `Parameter '${name}' sent when not required.`),
  badTif: (v: string) => new BinanceError(400, -1115, `Invalid timeInForce (${JSON.stringify(v)}).`),
  badType: (v: string) => new BinanceError(400, -1116, `Invalid orderType (${JSON.stringify(v)}; served: LIMIT, MARKET, LIMIT_MAKER).`),
  badSide: (v: string) => new BinanceError(400, -1117, `Invalid side (${JSON.stringify(v)}).`),
  badInterval: (v: string) => new BinanceError(400, -1120, `Invalid interval (${JSON.stringify(v)}; this venue keeps 1m candles).`),
  badSymbol: (v: string) => new BinanceError(400, -1121, `Invalid symbol (${JSON.stringify(v)}).`),
  recvWindow: (v: number) => new BinanceError(400, -1131, `recvWindow must be less than 60000 (got ${v}).`),
  filter: (name: string) => new BinanceError(400, -1013, `Filter failure: ${name}`),
  insufficient: () => new BinanceError(400, -2010, "Account has insufficient balance for requested action."),
  wouldTake: () => new BinanceError(400, -2010, "Order would immediately match and take."),
  duplicate: () => new BinanceError(400, -2010, "Duplicate order sent."),
  rejected: (why: string) => new BinanceError(400, -2010, `Order rejected: ${why}.`),
  unknownOrder: () => new BinanceError(400, -2011, "Unknown order sent."),
  noSuchOrder: () => new BinanceError(400, -2013, "Order does not exist."),
  keyFormat: () => new BinanceError(401, -2014, "API-key format invalid."),
  badKey: () => new BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action."),
  notFound: (path: string) => new BinanceError(404, -1000, `No endpoint ${path} here (served: /api/v3 exchangeInfo, depth, aggTrades, klines, ticker/24hr, time, order, openOrders, account, myTrades).`),
};

/** The Binance answer for a refusal of the simulated venue (market/types.ts reason names). */
export function fromVenueReason(reason: string, op: "create" | "cancel" | "fetch"): BinanceError {
  switch (reason) {
    case "insufficient_balance": return err.insufficient();
    case "post_only_would_cross": return err.wouldTake();
    case "invalid_price": case "tick_size": return err.filter("PRICE_FILTER");
    case "invalid_size": case "lot_size": return err.filter("LOT_SIZE");
    case "min_notional": case "notional_too_large": return err.filter("NOTIONAL");
    case "duplicate_client_order_id": return err.duplicate();
    case "unknown_order": case "order_closed": return op === "fetch" ? err.noSuchOrder() : err.unknownOrder();
    default: return err.rejected(reason);
  }
}
