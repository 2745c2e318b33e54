// The served /api/v3 endpoints: Binance request parameters in, calls on the simulated venue, Binance JSON out.
import { ExchangeError, type Order, type Trade } from "../../market/exchange.ts";
import { lotsToAmount, ticksToPrice, type Instrument } from "../../market/instrument.ts";
import { accountJson, binanceSymbol, canceledOrderJson, dec, exchangeInfo, myTradeJson, newOrderJson, queryOrderJson } from "./binance-shapes.ts";
import { err, fromVenueReason, type BinanceError } from "./errors.ts";
import { decimal, integer, limit, required } from "./params.ts";
import type { ServedAccount, ServedVenue } from "./venue.ts";

const MINUTE_MS = 60_000;
const MINUTE_NS = 60_000_000_000;

export interface RouteContext {
  readonly venue: ServedVenue;
  readonly inst: Instrument;
  readonly params: URLSearchParams;
  /** The signed request's account; undefined for public endpoints. */
  readonly account: ServedAccount | undefined;
  readonly weightLimit: number;
}

export interface Route {
  readonly signed: boolean;
  handle(c: RouteContext): Promise<unknown>;
}

/** Routes by "METHOD endpoint" (endpoint relative to /api/v3). */
export const ROUTES: Readonly<Record<string, Route>> = {
  "GET time": { signed: false, handle: (c) => c.venue.run(() => ({ serverTime: c.venue.venueMs() })) },
  "GET exchangeInfo": { signed: false, handle: (c) => c.venue.run(() => exchangeInfo(c.inst, c.venue.venueMs(), c.weightLimit)) },
  "GET depth": { signed: false, handle: depth },
  "GET aggTrades": { signed: false, handle: aggTrades },
  "GET klines": { signed: false, handle: klines },
  "GET ticker/24hr": { signed: false, handle: ticker24 },
  "POST order": { signed: true, handle: newOrder },
  "GET order": { signed: true, handle: getOrder },
  "DELETE order": { signed: true, handle: cancelOrder },
  "GET openOrders": { signed: true, handle: openOrders },
  "GET account": { signed: true, handle: account },
  "GET myTrades": { signed: true, handle: myTrades },
};

/** The symbol parameter, which must name the served instrument. @throws BinanceError −1102/−1121. */
function symbolOf(c: RouteContext, needed = true): string | undefined {
  const v = c.params.get("symbol");
  if (v === null || v === "") {
    if (needed) throw err.mandatory("symbol");
    return undefined;
  }
  if (v !== binanceSymbol(c.inst)) throw err.badSymbol(v);
  return v;
}

function exchangeOf(c: RouteContext) {
  const x = c.account?.exchange;
  if (x === undefined) throw err.unknown("the account's agent has not started");
  return x;
}

/** Calls the venue for an account, turning its refusals into Binance's. */
async function venueCall<T>(c: RouteContext, op: "create" | "cancel" | "fetch", call: () => Promise<T>): Promise<T> {
  try {
    return await c.venue.run(call);
  } catch (e) {
    if (e instanceof ExchangeError) throw fromVenueReason(e.reason, op);
    throw e;
  }
}

async function depth(c: RouteContext): Promise<unknown> {
  symbolOf(c);
  const n = limit(c.params, 100, 5000);
  return c.venue.run(() => {
    // Publishing first makes the snapshot exactly the state of its id (book-feed.ts).
    const lastUpdateId = c.venue.book.sync();
    const d = c.venue.kernel.depth(n);
    const row = (l: { price: number; size: number }) => [dec(ticksToPrice(c.inst, l.price)), dec(lotsToAmount(c.inst, l.size))];
    return { lastUpdateId, bids: d.bids.map(row), asks: d.asks.map(row) };
  });
}

async function aggTrades(c: RouteContext): Promise<unknown> {
  symbolOf(c);
  const n = limit(c.params, 500, 1000);
  const fromId = integer(c.params, "fromId");
  const start = integer(c.params, "startTime");
  const end = integer(c.params, "endTime");
  return c.venue.run(() => {
    const epoch = c.venue.kernel.epochMs;
    const ms = (ns: number) => epoch + Math.floor(ns / 1e6);
    let list = c.venue.tape.trades;
    if (fromId !== undefined) list = list.filter((t) => t.tradeId >= fromId);
    if (start !== undefined) list = list.filter((t) => ms(t.ts) >= start);
    if (end !== undefined) list = list.filter((t) => ms(t.ts) <= end);
    // From an id or a start: the first `limit` after it; otherwise the most recent.
    list = fromId !== undefined || start !== undefined ? list.slice(0, n) : list.slice(-n);
    // Each fill is its own aggregate trade here (f = l = a): the tape keeps fills, not takers' sweeps.
    return list.map((t) => ({
      a: t.tradeId, p: dec(ticksToPrice(c.inst, t.price)), q: dec(lotsToAmount(c.inst, t.size)), f: t.tradeId, l: t.tradeId,
      T: ms(t.ts), m: t.aggressor === 1, M: true,
    }));
  });
}

async function klines(c: RouteContext): Promise<unknown> {
  symbolOf(c);
  const interval = required(c.params, "interval");
  if (interval !== "1m") throw err.badInterval(interval);
  const n = limit(c.params, 500, 1000);
  const start = integer(c.params, "startTime");
  const end = integer(c.params, "endTime");
  return c.venue.run(() => {
    const epoch = c.venue.kernel.epochMs;
    const nowK = Math.floor(c.venue.kernel.now / MINUTE_NS);
    const lastK = Math.min(nowK, end === undefined ? nowK : Math.floor((end - epoch) / MINUTE_MS));
    const firstK = start === undefined ? lastK - n + 1 : Math.ceil((start - epoch) / MINUTE_MS);
    const rows = c.venue.tape.range(firstK, Math.min(lastK, firstK + n - 1));
    const q = c.inst.quoteUnitsPerTickLot / c.inst.spec.quoteScale;
    return rows.map(({ k, m }) => {
      const open = epoch + k * MINUTE_MS;
      const px = (t: number) => dec(ticksToPrice(c.inst, t));
      return [open, px(m.open), px(m.high), px(m.low), px(m.close), dec(lotsToAmount(c.inst, m.lots)), open + MINUTE_MS - 1,
        dec(m.tickLots * q), m.count, dec(lotsToAmount(c.inst, m.takerBuyLots)), dec(m.takerBuyTickLots * q), "0"];
    });
  });
}

async function ticker24(c: RouteContext): Promise<unknown> {
  const sym = symbolOf(c, false) ?? binanceSymbol(c.inst);
  const one = await c.venue.run(() => {
    const k = c.venue.kernel;
    const epoch = k.epochMs;
    const nowMs = c.venue.venueMs();
    const toK = Math.floor(k.now / MINUTE_NS);
    const rows = c.venue.tape.range(toK - 1439, toK).filter((r) => r.m.count > 0);
    const px = (t: number) => dec(ticksToPrice(c.inst, t));
    const top = k.depth(1);
    const last = c.venue.tape.lastPrice();
    const open = rows.length > 0 ? rows[0].m.open : last;
    const lots = rows.reduce((s, r) => s + r.m.lots, 0);
    const tickLots = rows.reduce((s, r) => s + r.m.tickLots, 0);
    const lastTrade = c.venue.tape.trades.at(-1);
    const change = ticksToPrice(c.inst, last) - ticksToPrice(c.inst, open);
    return {
      symbol: sym, priceChange: dec(Number(change.toFixed(8))),
      priceChangePercent: open > 0 ? ((100 * (last - open)) / open).toFixed(3) : "0.000",
      weightedAvgPrice: lots > 0 ? dec(Number(ticksToPrice(c.inst, tickLots / lots).toFixed(8))) : px(last),
      prevClosePrice: px(open), lastPrice: px(last), lastQty: dec(lastTrade === undefined ? 0 : lotsToAmount(c.inst, lastTrade.size)),
      bidPrice: px(top.bids[0]?.price ?? 0), bidQty: dec(lotsToAmount(c.inst, top.bids[0]?.size ?? 0)),
      askPrice: px(top.asks[0]?.price ?? 0), askQty: dec(lotsToAmount(c.inst, top.asks[0]?.size ?? 0)),
      openPrice: px(open), highPrice: px(rows.length > 0 ? Math.max(...rows.map((r) => r.m.high)) : last),
      lowPrice: px(rows.length > 0 ? Math.min(...rows.map((r) => r.m.low)) : last),
      volume: dec(lotsToAmount(c.inst, lots)), quoteVolume: dec(Number(((tickLots * c.inst.quoteUnitsPerTickLot) / c.inst.spec.quoteScale).toFixed(8))),
      openTime: Math.max(epoch, nowMs - 86_400_000), closeTime: nowMs,
      firstId: rows.length > 0 ? rows[0].m.firstId : -1, lastId: rows.length > 0 ? rows[rows.length - 1].m.lastId : -1,
      count: rows.reduce((s, r) => s + r.m.count, 0),
    };
  });
  return c.params.has("symbol") ? one : [one];
}

/**
 * The amount in coins a quoteOrderQty market order buys (asks) or sells (bids) at the book as
 * it stands: the most lots whose cost at the levels they would take stays within `quote`.
 */
function lotsForQuote(c: RouteContext, buy: boolean, quote: number): number {
  const d = c.venue.kernel.depth(1000);
  let units = Math.floor(quote * c.inst.spec.quoteScale);
  let lots = 0;
  for (const l of buy ? d.asks : d.bids) {
    const perLot = l.price * c.inst.quoteUnitsPerTickLot;
    const take = Math.min(l.size, Math.floor(units / perLot));
    lots += take;
    units -= take * perLot;
    if (take < l.size) break;
  }
  return lots;
}

async function newOrder(c: RouteContext): Promise<unknown> {
  const sym = symbolOf(c)!;
  const p = c.params;
  const sideRaw = required(p, "side");
  if (sideRaw !== "BUY" && sideRaw !== "SELL") throw err.badSide(sideRaw);
  const side = sideRaw === "BUY" ? "buy" : "sell";
  const type = required(p, "type");
  if (type !== "LIMIT" && type !== "MARKET" && type !== "LIMIT_MAKER") throw err.badType(type);
  const tifRaw = p.get("timeInForce");
  if (type === "LIMIT" && tifRaw === null) throw err.mandatory("timeInForce");
  if (type !== "LIMIT" && tifRaw !== null) throw err.notRequired("timeInForce");
  if (tifRaw !== null && tifRaw !== "GTC" && tifRaw !== "IOC" && tifRaw !== "FOK") throw err.badTif(tifRaw);
  const price = decimal(p, "price");
  if (type !== "MARKET" && price === undefined) throw err.mandatory("price");
  if (type === "MARKET" && price !== undefined) throw err.notRequired("price");
  let quantity = decimal(p, "quantity");
  const quoteQty = decimal(p, "quoteOrderQty");
  if (quoteQty !== undefined && type !== "MARKET") throw err.notRequired("quoteOrderQty");
  if (quantity !== undefined && quoteQty !== undefined) throw err.notRequired("quoteOrderQty");
  if (quantity === undefined && quoteQty === undefined) throw err.mandatory(type === "MARKET" ? "quantity' or 'quoteOrderQty" : "quantity");
  const respRaw = p.get("newOrderRespType") ?? (type === "LIMIT_MAKER" ? "ACK" : "FULL");
  if (respRaw !== "ACK" && respRaw !== "RESULT" && respRaw !== "FULL") throw err.illegal("newOrderRespType", respRaw, "ACK, RESULT or FULL");
  const acct = c.account!;
  const x = exchangeOf(c);
  let clientOrderId = p.get("newClientOrderId") ?? undefined;
  if (clientOrderId !== undefined && !/^[.A-Za-z0-9_-]{1,36}$/.test(clientOrderId)) throw err.illegal("newClientOrderId", clientOrderId, "^[.A-Za-z0-9_-]{1,36}$");
  clientOrderId ??= `arena${acct.agent}x${acct.nextClientId++}`;
  const order = await venueCall(c, "create", () => {
    if (quantity === undefined) {
      const lots = lotsForQuote(c, side === "buy", quoteQty!);
      if (lots === 0) throw err.filter("LOT_SIZE");
      quantity = lotsToAmount(c.inst, lots);
    }
    const tif = type === "LIMIT_MAKER" ? "PO" : (tifRaw ?? "GTC") as "GTC" | "IOC" | "FOK";
    return x.createOrder(c.inst.symbol, type === "MARKET" ? "market" : "limit", side, quantity, price, { clientOrderId, timeInForce: tif, postOnly: type === "LIMIT_MAKER" });
  });
  acct.clientIds.set(clientOrderId, order.id);
  acct.accepted.push(clientOrderId);
  const fills: Trade[] = respRaw === "FULL" && order.filled > 0
    ? (await venueCall(c, "fetch", () => x.fetchMyTrades(c.inst.symbol))).filter((t) => t.order === order.id)
    : [];
  return newOrderJson(order, sym, respRaw, fills, quoteQty ?? 0);
}

/** The order id a GET/DELETE names, by orderId or origClientOrderId. @throws BinanceError −1102, or `unknown` when the client id is not known. */
function orderIdOf(c: RouteContext, unknown: () => BinanceError): string {
  const id = integer(c.params, "orderId");
  if (id !== undefined) return String(id);
  const cid = c.params.get("origClientOrderId");
  if (cid === null || cid === "") throw err.mandatory("orderId' or 'origClientOrderId");
  const known = c.account!.clientIds.get(cid);
  if (known === undefined) throw unknown();
  return known;
}

async function getOrder(c: RouteContext): Promise<unknown> {
  const sym = symbolOf(c)!;
  const id = orderIdOf(c, err.noSuchOrder);
  const x = exchangeOf(c);
  const o: Order = await venueCall(c, "fetch", () => x.fetchOrder(id, c.inst.symbol));
  return queryOrderJson(o, sym);
}

async function cancelOrder(c: RouteContext): Promise<unknown> {
  const sym = symbolOf(c)!;
  const id = orderIdOf(c, err.unknownOrder);
  const x = exchangeOf(c);
  const o = await venueCall(c, "cancel", () => x.cancelOrder(id, c.inst.symbol));
  return canceledOrderJson(o, sym, c.venue.venueMs());
}

async function openOrders(c: RouteContext): Promise<unknown> {
  symbolOf(c, false);
  const x = exchangeOf(c);
  const list = await venueCall(c, "fetch", () => x.fetchOpenOrders(c.inst.symbol));
  return list.map((o) => queryOrderJson(o, binanceSymbol(c.inst)));
}

async function account(c: RouteContext): Promise<unknown> {
  const x = exchangeOf(c);
  const b = await venueCall(c, "fetch", () => x.fetchBalance());
  return accountJson(b, c.inst, c.venue.venueMs());
}

async function myTrades(c: RouteContext): Promise<unknown> {
  const sym = symbolOf(c)!;
  const n = limit(c.params, 500, 1000);
  const orderId = integer(c.params, "orderId");
  const fromId = integer(c.params, "fromId");
  const start = integer(c.params, "startTime");
  const end = integer(c.params, "endTime");
  const x = exchangeOf(c);
  let list = await venueCall(c, "fetch", () => x.fetchMyTrades(c.inst.symbol));
  if (orderId !== undefined) list = list.filter((t) => t.order === String(orderId));
  if (fromId !== undefined) list = list.filter((t) => Number(t.id) >= fromId);
  if (start !== undefined) list = list.filter((t) => t.timestamp >= start);
  if (end !== undefined) list = list.filter((t) => t.timestamp <= end);
  list = fromId !== undefined || start !== undefined ? list.slice(0, n) : list.slice(-n);
  return list.map((t) => myTradeJson(t, sym));
}
