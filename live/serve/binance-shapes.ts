// Binance spot JSON shapes (binance-spot-api-docs, rest-api.md) built from our ccxt-shaped orders, trades and integer instrument rules.
import type { Balances, BalanceEntry, Order, Trade } from "../../market/exchange.ts";
import type { Instrument } from "../../market/instrument.ts";

/** Binance's symbol id: the unified symbol without the slash (BTC/USDT → BTCUSDT). */
export function binanceSymbol(inst: Instrument): string {
  return inst.base + inst.quote;
}

/** A decimal as Binance writes it: 8 decimals, more when the value needs them. */
export function dec(x: number): string {
  const s = x.toFixed(8);
  return Number(s) === x ? s : String(x);
}

/** GET /api/v3/exchangeInfo for the one instrument: the filters carry tick, lot and minimum notional. */
export function exchangeInfo(inst: Instrument, serverTime: number, weightLimit: number): unknown {
  const s = inst.spec;
  return {
    timezone: "UTC",
    serverTime,
    rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: weightLimit }],
    exchangeFilters: [],
    symbols: [{
      symbol: binanceSymbol(inst),
      status: "TRADING",
      baseAsset: inst.base,
      baseAssetPrecision: 8,
      quoteAsset: inst.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      baseCommissionPrecision: 8,
      quoteCommissionPrecision: 8,
      orderTypes: ["LIMIT", "LIMIT_MAKER", "MARKET"],
      icebergAllowed: false,
      ocoAllowed: false,
      otoAllowed: false,
      quoteOrderQtyMarketAllowed: true,
      allowTrailingStop: false,
      cancelReplaceAllowed: false,
      amendAllowed: false,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        { filterType: "PRICE_FILTER", minPrice: dec(s.tickSize), maxPrice: "0.00000000", tickSize: dec(s.tickSize) },
        { filterType: "LOT_SIZE", minQty: dec(s.lotSize), maxQty: "9000000.00000000", stepSize: dec(s.lotSize) },
        { filterType: "NOTIONAL", minNotional: dec(s.minNotional), applyMinToMarket: true, maxNotional: "9000000000.00000000", applyMaxToMarket: false, avgPriceMins: 0 },
      ],
      permissions: [],
      permissionSets: [["SPOT"]],
      defaultSelfTradePreventionMode: "EXPIRE_MAKER",
      allowedSelfTradePreventionModes: ["EXPIRE_MAKER"],
    }],
  };
}

/** Binance's order status of one of our orders. */
export function orderStatus(o: Order): string {
  switch (o.status) {
    case "open": return o.filled > 0 ? "PARTIALLY_FILLED" : "NEW";
    case "closed": return "FILLED";
    case "canceled": return "CANCELED";
    case "expired": return o.reason === "self_trade" ? "EXPIRED_IN_MATCH" : "EXPIRED";
    case "rejected": return "REJECTED";
  }
}

function orderType(o: Order): string {
  return o.type === "market" ? "MARKET" : o.postOnly ? "LIMIT_MAKER" : "LIMIT";
}

/** Fields every order answer shares (RESULT response, GET /order, openOrders, DELETE /order). */
function orderCore(o: Order, sym: string): Record<string, unknown> {
  return {
    symbol: sym,
    orderId: Number(o.id),
    orderListId: -1,
    clientOrderId: o.clientOrderId ?? "",
    price: dec(o.price ?? 0),
    origQty: dec(o.amount),
    executedQty: dec(o.filled),
    cummulativeQuoteQty: dec(o.cost),
    status: orderStatus(o),
    timeInForce: o.timeInForce === "PO" ? "GTC" : o.type === "market" && o.timeInForce === "IOC" ? "GTC" : o.timeInForce,
    type: orderType(o),
    side: o.side === "buy" ? "BUY" : "SELL",
  };
}

/** POST /api/v3/order answer for `newOrderRespType` ACK, RESULT or FULL (FULL lists the order's own fills). */
export function newOrderJson(o: Order, sym: string, resp: "ACK" | "RESULT" | "FULL", fills: readonly Trade[], origQuoteOrderQty: number): unknown {
  const ack = { symbol: sym, orderId: Number(o.id), orderListId: -1, clientOrderId: o.clientOrderId ?? "", transactTime: o.timestamp };
  if (resp === "ACK") return ack;
  const result = {
    ...ack, ...orderCore(o, sym), origQuoteOrderQty: dec(origQuoteOrderQty), workingTime: o.timestamp,
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
  if (resp === "RESULT") return result;
  return {
    ...result,
    fills: fills.map((t) => ({ price: dec(t.price), qty: dec(t.amount), commission: dec(t.fee?.cost ?? 0), commissionAsset: t.fee?.currency ?? "", tradeId: Number(t.id) })),
  };
}

/** GET /api/v3/order and GET /api/v3/openOrders rows. */
export function queryOrderJson(o: Order, sym: string): unknown {
  return {
    ...orderCore(o, sym), stopPrice: "0.00000000", icebergQty: "0.00000000", time: o.timestamp,
    updateTime: o.lastTradeTimestamp ?? o.timestamp, isWorking: o.status === "open", workingTime: o.timestamp,
    origQuoteOrderQty: "0.00000000", selfTradePreventionMode: "EXPIRE_MAKER",
  };
}

/** DELETE /api/v3/order answer. */
export function canceledOrderJson(o: Order, sym: string, transactTime: number): unknown {
  return { ...orderCore(o, sym), origClientOrderId: o.clientOrderId ?? "", transactTime, selfTradePreventionMode: "EXPIRE_MAKER" };
}

/** GET /api/v3/myTrades rows. Fees are charged in the quote asset here, whatever the side. */
export function myTradeJson(t: Trade, sym: string): unknown {
  return {
    symbol: sym, id: Number(t.id), orderId: Number(t.order), orderListId: -1, price: dec(t.price), qty: dec(t.amount),
    quoteQty: dec(t.cost), commission: dec(t.fee?.cost ?? 0), commissionAsset: t.fee?.currency ?? "", time: t.timestamp,
    isBuyer: t.side === "buy", isMaker: t.takerOrMaker === "maker", isBestMatch: true,
  };
}

/** GET /api/v3/account: the two assets of the instrument. */
export function accountJson(b: Balances, inst: Instrument, updateTime: number): unknown {
  const row = (asset: string) => {
    const e = b[asset] as BalanceEntry;
    return { asset, free: dec(e.free), locked: dec(e.used) };
  };
  const maker = inst.makerFeePpm / 1e6;
  const taker = inst.takerFeePpm / 1e6;
  return {
    makerCommission: Math.round(maker * 1e4), takerCommission: Math.round(taker * 1e4), buyerCommission: 0, sellerCommission: 0,
    commissionRates: { maker: dec(maker), taker: dec(taker), buyer: "0.00000000", seller: "0.00000000" },
    canTrade: true, canWithdraw: false, canDeposit: false, brokered: false, requireSelfTradePrevention: false, preventSor: false,
    updateTime, accountType: "SPOT", balances: [row(inst.base), row(inst.quote)], permissions: ["SPOT"], uid: 0,
  };
}
