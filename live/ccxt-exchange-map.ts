// ccxt's unified structures (markets, orders, trades, books, balances) mapped to the Exchange port's shapes.
import type { Balances, BalanceEntry, Fee, MarketInfo, Order, OrderBook, OrderStatus, Stamps, TimeInForceName, Trade } from "../market/exchange.ts";

/** The loose shapes ccxt returns: every field may be missing. */
type Loose = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Unix ms as ns for the port's stamps. */
export function stamps(venueMs: number, localMs: number): Stamps {
  return { venueTs: venueMs * 1e6, localTs: localMs * 1e6 };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A ccxt market as the port's MarketInfo: ccxt's precision is the tick and step size in TICK_SIZE
 * mode (binance); in DECIMAL_PLACES mode it is a digit count and becomes 10^-digits.
 */
export function marketInfo(m: Loose, tickMode: boolean): MarketInfo {
  const prec = (m.precision ?? {}) as Loose;
  const size = (v: unknown) => {
    const n = num(v) ?? 1;
    return tickMode ? n : Number((10 ** -n).toPrecision(12));
  };
  const limits = (m.limits ?? {}) as Loose;
  const cost = (limits.cost ?? {}) as Loose;
  return {
    symbol: String(m.symbol),
    base: String(m.base),
    quote: String(m.quote),
    precision: { price: size(prec.price), amount: size(prec.amount) },
    limits: { cost: { min: num(cost.min) ?? 0 } },
    maker: num(m.maker) ?? 0,
    taker: num(m.taker) ?? 0,
  };
}

const STATUSES: Readonly<Record<string, OrderStatus>> = { open: "open", closed: "closed", canceled: "canceled", cancelled: "canceled", expired: "expired", rejected: "rejected" };

/** The order's fee in `quote`: ccxt's `fee`, else the sum of its `fees` or its trades' fees. */
function orderFee(o: Loose, quote: string): Fee {
  const one = o.fee as Loose | undefined;
  if (one !== undefined && num(one.cost) !== undefined) return { cost: num(one.cost)!, currency: str(one.currency) ?? quote };
  const list = [...((o.fees as Loose[] | undefined) ?? []), ...(((o.trades as Loose[] | undefined) ?? []).map((t) => t.fee as Loose | undefined).filter((f) => f !== undefined) as Loose[])];
  const inQuote = list.filter((f) => num(f.cost) !== undefined && (str(f.currency) ?? quote) === quote);
  return { cost: inQuote.reduce((a, f) => a + num(f.cost)!, 0), currency: quote };
}

/** A ccxt order as the port's Order; `localMs` is when the answer was seen. */
export function toOrder(o: Loose, market: MarketInfo, localMs: number): Order {
  const timestamp = num(o.timestamp) ?? localMs;
  const type = o.type === "market" ? "market" : "limit";
  const amount = num(o.amount) ?? 0;
  const filled = num(o.filled) ?? 0;
  const status = STATUSES[String(o.status)] ?? "open";
  const tif = (["GTC", "IOC", "FOK", "PO"].includes(String(o.timeInForce)) ? o.timeInForce : "GTC") as TimeInForceName;
  const postOnly = o.postOnly === true || tif === "PO";
  const updated = num(o.lastUpdateTimestamp) ?? num(o.lastTradeTimestamp) ?? timestamp;
  return {
    id: String(o.id),
    clientOrderId: str(o.clientOrderId),
    timestamp,
    datetime: iso(timestamp),
    lastTradeTimestamp: num(o.lastTradeTimestamp),
    symbol: String(o.symbol ?? market.symbol),
    type,
    timeInForce: postOnly ? "PO" : tif,
    postOnly,
    side: o.side === "sell" ? "sell" : "buy",
    price: type === "market" ? undefined : num(o.price),
    average: filled > 0 ? num(o.average) : undefined,
    amount,
    filled,
    remaining: num(o.remaining) ?? amount - filled,
    cost: num(o.cost) ?? 0,
    status,
    fee: orderFee(o, market.quote),
    reason: undefined,
    info: stamps(Math.max(updated, timestamp), localMs),
  };
}

/** A ccxt trade (public or own) as the port's Trade. */
export function toTrade(t: Loose, market: MarketInfo, localMs: number): Trade {
  const timestamp = num(t.timestamp) ?? localMs;
  const price = num(t.price) ?? 0;
  const amount = num(t.amount) ?? 0;
  const fee = t.fee as Loose | undefined;
  const role = t.takerOrMaker === "taker" || t.takerOrMaker === "maker" ? t.takerOrMaker : undefined;
  return {
    id: String(t.id),
    order: str(t.order),
    timestamp,
    datetime: iso(timestamp),
    symbol: String(t.symbol ?? market.symbol),
    side: t.side === "sell" ? "sell" : "buy",
    takerOrMaker: role,
    price,
    amount,
    cost: num(t.cost) ?? price * amount,
    fee: fee !== undefined && num(fee.cost) !== undefined ? { cost: num(fee.cost)!, currency: str(fee.currency) ?? market.quote } : undefined,
    info: stamps(timestamp, localMs),
  };
}

/** A ccxt order book as the port's, best first, at most `limit` levels a side. */
export function toBook(b: Loose, symbol: string, localMs: number, limit?: number): OrderBook {
  // Array.from: ccxt pro's book sides are Array subclasses whose slice and map return their own class.
  const side = (rows: unknown) => Array.from(((rows as unknown[][] | undefined) ?? []).slice(0, limit), (r) => [Number(r[0]), Number(r[1])] as const);
  const timestamp = num(b.timestamp) ?? localMs;
  return { symbol, bids: side(b.bids), asks: side(b.asks), timestamp, datetime: iso(timestamp), nonce: num(b.nonce) ?? 0, info: stamps(timestamp, localMs) };
}

/** A ccxt balance as the port's: one entry per currency plus the free/used/total maps. */
export function toBalances(b: Loose, localMs: number): Balances {
  const free = { ...((b.free ?? {}) as Record<string, number>) };
  const used = { ...((b.used ?? {}) as Record<string, number>) };
  const total = { ...((b.total ?? {}) as Record<string, number>) };
  const out: Record<string, BalanceEntry | Record<string, number> | Stamps> = { free, used, total, info: stamps(num(b.timestamp) ?? localMs, localMs) };
  for (const c of Object.keys(total)) {
    free[c] ??= 0;
    used[c] ??= 0;
    out[c] = { free: free[c], used: used[c], total: total[c] };
  }
  return out as unknown as Balances;
}
