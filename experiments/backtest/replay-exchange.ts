// ReplayExchange: the Exchange port over recorded bars, for bots written against the promise API.
//
// Time moves one bar at a time, only when the driver calls `advance()` (or `run(onBar)` does):
//   1. at the new bar's open, orders placed before it fill by the shared fill model (market/fills/):
//      market buys at open·(1+s), sells at open·(1−s), commission c on the traded value in quote;
//      resting limit orders fill when the bar reaches them: at the open if it opened beyond the
//      limit (never worse than the limit), else at the limit; no slippage on limit fills. An
//      order fills whole, in one fill (bars carry no queue);
//   2. the bar closes and becomes visible: fetchOHLCV returns bars up to and including it,
//      fetchOrderBook a one-level book around its close (bid close·(1−s), ask close·(1+s),
//      rounded outwards to the tick, size = the bar's volume), watchers resolve;
//   3. the bot acts; whatever it sends fills at the next open at the earliest.
// So a decision made on bar t's close fills at bar t+1's open, exactly as `runBacktest` fills
// it. `finish()` (called by `run`) sells what is left at the last close, less slippage and
// commission, as the runner's end-of-data exit does. Every answer resolves at once: the replay
// has no latency, and nothing in it reads the wall clock.
//
// Money is integer inside, as on a venue (market/fills/money.ts): base in units of the lot's last
// decimal (satoshis for 1e-8), quote in micro-units (finer when the tick is); a fill's value rounds
// against the trader, commission rounds down. Amounts at the port are decimals converted exactly.
import type { Candle } from "../../agents/strategies/strategy.ts";
import {
  BadRequest,
  InsufficientFunds,
  InvalidOrder,
  OrderNotFound,
  type Balances,
  type Capabilities,
  type Exchange,
  type MarketInfo,
  type OHLCV,
  type Order,
  type OrderBook,
  type OrderParams,
  type OrderStatus,
  type OrderTypeName,
  type SideName,
  type TimeInForceName,
  type Trade,
} from "../../market/exchange.ts";
import { barSpacing, type Ohlcv } from "../ohlcv.ts";
import { buyPrice, DEFAULT_FILL, sellPrice, type FillModel } from "../../market/fills/costs.ts";
import { buyLimitFill, sellLimitFill } from "../../market/fills/limit.ts";
import { BarMoney } from "../../market/fills/money.ts";

export interface ReplayOptions {
  readonly bars: Ohlcv;
  /** Default "BTC/USDT". */
  readonly symbol?: string;
  readonly fill?: FillModel;
  /** Starting balances: quote (default 10,000) and base (default 0), whole quote and base units (see BarMoney). */
  readonly quote?: number;
  readonly base?: number;
  /** Price grid, quote (default 0.01); amount grid, base (default 1e-8); minimum order value, quote (default 0). */
  readonly tickSize?: number;
  readonly lotSize?: number;
  readonly minCost?: number;
  /** The bars' timeframe as fetchOHLCV names it; default from their spacing ("1m", "1h", ...). */
  readonly timeframe?: string;
}

/** `createOrder` params: ccxt's, plus `cost` for a market buy by quote amount (commission included). */
export type ReplayOrderParams = OrderParams & { readonly cost?: number };

export const REPLAY_CAPABILITIES: Capabilities = Object.freeze({
  createOrder: true, cancelOrder: true, editOrder: true, fetchOrder: true, fetchOpenOrders: true, fetchBalance: true,
  fetchOrderBook: true, fetchMyTrades: true, fetchOHLCV: true, watchOrderBook: true,
  /** Bars carry no public trades. */
  watchTrades: false,
  watchMyTrades: true, watchOrders: true, createPostOnlyOrder: true, createMarketOrder: true, selfTradePrevention: false,
});

interface Rec {
  id: number;
  clientOrderId: string | undefined;
  type: OrderTypeName;
  side: SideName;
  tif: TimeInForceName;
  postOnly: boolean;
  /** Limit price, quote (on the tick grid). */
  price: number | undefined;
  /** Base units. */
  amount: number;
  /** Market buy by quote: what to spend, commission included, quote units. */
  spend: number | undefined;
  /** Base units filled; value and commission paid or received, quote units. */
  filled: number;
  cost: number;
  fee: number;
  /** The fill's price, quote (an order fills whole, in one fill). */
  average: number | undefined;
  status: OrderStatus;
  reason: string | undefined;
  /** Bar index at whose close it was placed; it can fill from the next bar on. */
  placed: number;
  timestamp: number;
  lastTradeTimestamp: number | undefined;
  /** Reserved funds: quote units for buys, base units for sells. */
  reserved: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** "1m", "15m", "1h", "4h", "1d" ... for a bar length in ms (minutes when nothing rounder fits). */
function timeframeName(ms: number): string {
  const min = ms / 60_000;
  if (min % 1440 === 0) return `${min / 1440}d`;
  if (min % 60 === 0) return `${min / 60}h`;
  return `${min}m`;
}

export class ReplayExchange implements Exchange {
  readonly id = "replay";
  readonly has = REPLAY_CAPABILITIES;
  readonly markets: Readonly<Record<string, MarketInfo>>;
  readonly symbol: string;
  private readonly bars: Ohlcv;
  private readonly fill: FillModel;
  private readonly tick: number;
  private readonly lot: number;
  private readonly minCost: number;
  /** Unit systems and the integer value and commission of a fill. */
  private readonly money: BarMoney;
  /** minCost in quote units. */
  private readonly minCostUnits: number;
  private readonly base: string;
  private readonly quote: string;
  /** Bar length (median spacing), ms; and its name for fetchOHLCV. */
  private readonly barMs: number;
  readonly timeframe: string;
  /** Index of the last closed bar; -1 before the first. */
  private cur = -1;
  private nextId = 1;
  private nextTrade = 1;
  /** Balances in quote and base units. */
  private quoteFree: number;
  private quoteUsed = 0;
  private baseFree: number;
  private baseUsed = 0;
  private readonly orders = new Map<number, Rec>();
  private readonly open: Rec[] = [];
  private readonly trades: Trade[] = [];
  private changed: Rec[] = [];
  private fills: Trade[] = [];
  private waiters: (() => void)[] = [];

  /**
   * @throws RangeError for no bars or a bad option (named with its value), including a balance
   *   or minimum that is not a whole number of units.
   */
  constructor(o: ReplayOptions) {
    if (o.bars.timestamps.length === 0) throw new RangeError("bars: at least one bar is needed");
    this.bars = o.bars;
    this.symbol = o.symbol ?? "BTC/USDT";
    const parts = this.symbol.split("/");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") throw new RangeError(`symbol: ${JSON.stringify(this.symbol)} must be BASE/QUOTE`);
    [this.base, this.quote] = parts;
    this.fill = o.fill ?? DEFAULT_FILL;
    this.tick = o.tickSize ?? 0.01;
    this.lot = o.lotSize ?? 1e-8;
    this.minCost = o.minCost ?? 0;
    const spacing = barSpacing(o.bars.timestamps);
    this.barMs = spacing > 0 ? spacing : 60_000;
    this.timeframe = o.timeframe ?? timeframeName(this.barMs);
    const quote = o.quote ?? 10_000;
    const base = o.base ?? 0;
    for (const [k, v] of [["tickSize", this.tick], ["lotSize", this.lot], ["quote", quote]] as const) {
      if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${k}: ${v} must be a positive number`);
    }
    this.money = new BarMoney(this.tick, this.lot, this.fill);
    const units = (k: string, v: number, u: BarMoney["quote"], what: string): number => {
      const x = u.exact(v);
      if (!(x >= 0)) throw new RangeError(`${k}: ${v} must be a non-negative whole number of ${what} units (${u.toNumber(1)})`);
      return x;
    };
    this.quoteFree = units("quote", quote, this.money.quote, this.quote);
    this.baseFree = units("base", base, this.money.base, this.base);
    this.minCostUnits = units("minCost", this.minCost, this.money.quote, this.quote);
    const c = this.fill.commission;
    this.markets = Object.freeze({
      [this.symbol]: Object.freeze({
        symbol: this.symbol, base: this.base, quote: this.quote, precision: { price: this.tick, amount: this.lot },
        limits: { cost: { min: this.minCost } }, maker: c, taker: c,
      }),
    });
  }

  // ------------------------------------------------------------ the clock

  /** Time of the last closed bar, Unix ms (NaN before the first). */
  get now(): number {
    return this.cur < 0 ? NaN : this.bars.timestamps[this.cur];
  }

  /**
   * The replay's clock, Unix ms (ccxt's `milliseconds()`): the close of the last closed bar
   * (its open + the bar length), or the first bar's open before any has closed.
   */
  milliseconds(): number {
    return this.cur < 0 ? this.bars.timestamps[0] : this.bars.timestamps[this.cur] + this.barMs;
  }

  /** True once the last bar has closed. */
  get done(): boolean {
    return this.cur >= this.bars.timestamps.length - 1;
  }

  /**
   * Moves to the next bar: fills at its open and inside it, then closes it (it becomes
   * visible) and wakes the watchers. Resolves false when there is no next bar.
   */
  async advance(): Promise<boolean> {
    const i = this.cur + 1;
    if (i >= this.bars.timestamps.length) return false;
    const b = this.bars;
    const t = b.timestamps[i];
    for (const r of this.open.slice()) {
      if (r.placed >= i) continue;
      if (r.type === "market") {
        this.fillMarket(r, b.open[i], t);
        continue;
      }
      const px = r.side === "buy" ? buyLimitFill(r.price!, b.open[i], b.low[i]) : sellLimitFill(r.price!, b.open[i], b.high[i]);
      if (px === px) this.execute(r, px, r.amount - r.filled, t, "maker");
    }
    this.cur = i;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
    return true;
  }

  /**
   * Drives a bot: for every bar, advance, then await `onBar` with the bar just closed; at the
   * end, `finish()`. The Candle object is reused (copy what you keep). Time moves only between
   * calls, so `onBar` must not await a watch* method (it would wait for a bar that only comes
   * after it returns); a bot written as a loop over watch* calls drives `advance()` itself.
   */
  async run(onBar: (bar: Candle, ex: ReplayExchange) => Promise<void> | void): Promise<void> {
    const bar: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    const b = this.bars;
    while (await this.advance()) {
      const i = this.cur;
      bar.time = b.timestamps[i];
      bar.open = b.open[i];
      bar.high = b.high[i];
      bar.low = b.low[i];
      bar.close = b.close[i];
      bar.volume = b.volume[i];
      await onBar(bar, this);
    }
    this.finish();
  }

  /**
   * End of data: cancels open orders, and sells any base held at the last close less slippage
   * and commission (as the runner's "end-of-data" exit), time the last bar's.
   */
  finish(): void {
    for (const r of this.open.slice()) this.end(r, "canceled", "end_of_data");
    if (this.baseFree > 0 && this.cur >= 0) {
      const r = this.record("market", "sell", this.baseFree, undefined, undefined, {}, this.cur);
      this.execute(r, sellPrice(this.fill, this.bars.close[this.cur]), this.baseFree, this.bars.timestamps[this.cur], "taker");
    }
  }

  // ------------------------------------------------------------ orders

  async createOrder(symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number, params: ReplayOrderParams = {}): Promise<Order> {
    this.checkSymbol(symbol);
    if (type !== "market" && type !== "limit") throw new BadRequest("bad_type", `type ${JSON.stringify(type)} is not "market" or "limit"`);
    if (side !== "buy" && side !== "sell") throw new BadRequest("bad_side", `side ${JSON.stringify(side)} is not "buy" or "sell"`);
    if (this.cur < 0) throw new BadRequest("no_market_data", "no bar has closed yet: advance() before trading");
    const tif = params.timeInForce ?? (params.postOnly === true ? "PO" : "GTC");
    if (tif === "IOC" || tif === "FOK") throw new BadRequest("not_supported", `timeInForce ${tif} is not supported on replay (orders fill at the next open at the earliest)`);
    const postOnly = tif === "PO" || params.postOnly === true;
    const cost = type === "market" && side === "buy" && params.cost !== undefined ? params.cost : undefined;
    let spend: number | undefined;
    let qty = 0;
    if (cost !== undefined) {
      // A budget rounds down to the quote unit.
      spend = Number.isFinite(cost) && cost > 0 ? this.money.quote.floor(cost) : 0;
      if (!(spend > 0)) throw new InvalidOrder("invalid_size", `cost ${cost} must be a positive finite amount of ${this.quote}, at least ${this.money.quote.toNumber(1)}`);
    } else qty = this.checkAmount(amount);
    if (type === "limit") this.checkPrice(price);
    if (postOnly && type !== "limit") throw new InvalidOrder("post_only_market", "a market order cannot be post-only");
    const book = this.bookPrices();
    if (postOnly && ((side === "buy" && price! >= book.ask) || (side === "sell" && price! <= book.bid))) {
      throw new InvalidOrder("post_only_would_cross", `post-only ${side} at ${price} would cross the ${side === "buy" ? `ask ${book.ask}` : `bid ${book.bid}`}`);
    }
    const coid = params.clientOrderId;
    if (coid !== undefined && this.open.some((r) => r.clientOrderId === coid)) {
      throw new InvalidOrder("duplicate_client_order_id", `clientOrderId ${JSON.stringify(coid)} is already used by an open order`);
    }
    const close = this.bars.close[this.cur];
    const notional = spend ?? this.money.value(qty, price ?? close, true);
    if (notional < this.minCostUnits) {
      throw new InvalidOrder("min_notional", `order value ${this.money.quote.toNumber(notional)} is below the minimum ${this.minCost} ${this.quote}`);
    }
    // Buys reserve quote: the limit value plus commission, or for market orders an estimate at the close plus slippage.
    const reserve = side === "sell" ? qty : spend ?? this.money.buyTotal(qty, price ?? buyPrice(this.fill, close));
    const have = side === "buy" ? this.quoteFree : this.baseFree;
    if (reserve > have) {
      const u = side === "buy" ? this.money.quote : this.money.base;
      throw new InsufficientFunds("insufficient_balance", `${side} needs ${u.toNumber(reserve)} ${side === "buy" ? this.quote : this.base}, ${u.toNumber(have)} free`);
    }
    const r = this.record(type, side, qty, price, spend, { ...params, timeInForce: tif, postOnly }, this.cur);
    this.reserve(r, reserve);
    this.open.push(r);
    this.changed.push(r);
    return this.view(r);
  }

  async cancelOrder(id: string, symbol: string): Promise<Order> {
    this.checkSymbol(symbol);
    const r = this.find(id);
    if (r.status !== "open") throw new OrderNotFound("order_closed", `order ${id} is already ${r.status}`);
    this.end(r, "canceled", undefined);
    return this.view(r);
  }

  async editOrder(id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number): Promise<Order> {
    this.checkSymbol(symbol);
    const r = this.find(id);
    if (r.status !== "open") throw new OrderNotFound("order_closed", `order ${id} is already ${r.status}`);
    if (type !== r.type || side !== r.side || r.type !== "limit") throw new BadRequest("not_supported", `order ${id} is a ${r.type} ${r.side}: only a limit order's price and amount can be edited`);
    const qty = this.checkAmount(amount);
    this.checkPrice(price);
    const need = side === "sell" ? qty : this.money.buyTotal(qty, price);
    const free = (side === "buy" ? this.quoteFree : this.baseFree) + r.reserved;
    if (need > free) {
      const u = side === "buy" ? this.money.quote : this.money.base;
      throw new InsufficientFunds("insufficient_balance", `edit needs ${u.toNumber(need)}, ${u.toNumber(free)} available`);
    }
    this.reserve(r, -r.reserved);
    r.amount = qty;
    r.price = price;
    this.reserve(r, need);
    this.changed.push(r);
    return this.view(r);
  }

  async fetchOrder(id: string, symbol: string): Promise<Order> {
    this.checkSymbol(symbol);
    return this.view(this.find(id));
  }

  async fetchOpenOrders(symbol?: string): Promise<Order[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    return this.open.map((r) => this.view(r));
  }

  async fetchMyTrades(symbol?: string): Promise<Trade[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    return this.trades.slice();
  }

  async fetchBalance(): Promise<Balances> {
    const b = this.money.base;
    const q = this.money.quote;
    const base = { free: b.toNumber(this.baseFree), used: b.toNumber(this.baseUsed), total: b.toNumber(this.baseFree + this.baseUsed) };
    const quote = { free: q.toNumber(this.quoteFree), used: q.toNumber(this.quoteUsed), total: q.toNumber(this.quoteFree + this.quoteUsed) };
    return {
      [this.base]: base, [this.quote]: quote,
      free: { [this.base]: base.free, [this.quote]: quote.free },
      used: { [this.base]: base.used, [this.quote]: quote.used },
      total: { [this.base]: base.total, [this.quote]: quote.total },
      info: this.stamps(),
    };
  }

  // ------------------------------------------------------------ market data

  async fetchOrderBook(symbol: string, limit = 1): Promise<OrderBook> {
    this.checkSymbol(symbol);
    if (this.cur < 0) throw new BadRequest("no_market_data", "no bar has closed yet: advance() first");
    const p = this.bookPrices();
    const v = this.bars.volume[this.cur];
    const n = limit >= 1 ? 1 : 0;
    const t = this.now;
    return { symbol, bids: [[p.bid, v] as const].slice(0, n), asks: [[p.ask, v] as const].slice(0, n), timestamp: t, datetime: iso(t), nonce: this.cur, info: this.stamps() };
  }

  /**
   * ccxt's fetchOHLCV over the bars closed so far (never a later one): with `since`, the first
   * `limit` bars opening at or after it; without, the last `limit` bars (default 500). The
   * bars are not resampled: `timeframe` must be absent or the replay's own.
   * @throws BadRequest unsupported_timeframe, or bad_argument for a bad since or limit.
   */
  async fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit = 500): Promise<OHLCV[]> {
    this.checkSymbol(symbol);
    if (timeframe !== undefined && timeframe !== this.timeframe) {
      throw new BadRequest("unsupported_timeframe", `fetchOHLCV.timeframe: ${JSON.stringify(timeframe)} is not offered (the replay holds ${this.timeframe} bars)`);
    }
    if (since !== undefined && !Number.isFinite(since)) throw new BadRequest("bad_argument", `fetchOHLCV.since: ${since} is not a time in Unix ms`);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new BadRequest("bad_argument", `fetchOHLCV.limit: ${limit} is not a positive integer`);
    const b = this.bars;
    let from = 0;
    let to = this.cur + 1;
    if (since !== undefined) {
      while (from < to && b.timestamps[from] < since) from++;
      to = Math.min(to, from + limit);
    } else from = Math.max(0, to - limit);
    const out: OHLCV[] = [];
    for (let i = from; i < to; i++) out.push([b.timestamps[i], b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]]);
    return out;
  }

  async watchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    this.checkSymbol(symbol);
    await this.nextBar();
    return this.fetchOrderBook(symbol, limit);
  }

  async watchTrades(symbol: string): Promise<Trade[]> {
    this.checkSymbol(symbol);
    throw new BadRequest("not_supported", "watchTrades: bars carry no public trades (has.watchTrades is false)");
  }

  async watchMyTrades(symbol?: string): Promise<Trade[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    while (this.fills.length === 0) if (!(await this.nextBar())) break;
    const out = this.fills;
    this.fills = [];
    return out;
  }

  async watchOrders(symbol?: string): Promise<Order[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    while (this.changed.length === 0) if (!(await this.nextBar())) break;
    const out = this.changed;
    this.changed = [];
    return [...new Set(out)].map((r) => this.view(r));
  }

  // ------------------------------------------------------------ inside

  /** Resolves at the next bar close (false when the data are over). */
  private nextBar(): Promise<boolean> {
    if (this.done) return Promise.resolve(false);
    return new Promise((resolve) => this.waiters.push(() => resolve(true)));
  }

  private bookPrices(): { bid: number; ask: number } {
    const p = this.money.book(this.bars.close[this.cur]);
    return { bid: this.money.price.toNumber(p.bid), ask: this.money.price.toNumber(p.ask) };
  }

  private stamps() {
    const ns = (this.cur < 0 ? this.bars.timestamps[0] : this.now) * 1e6;
    return { venueTs: ns, localTs: ns };
  }

  private checkSymbol(symbol: string): void {
    if (symbol !== this.symbol) throw new BadRequest("unknown_symbol", `symbol ${JSON.stringify(symbol)} is not traded here (known: ${this.symbol})`);
  }

  /** The amount in base units. */
  private checkAmount(amount: number): number {
    if (!(typeof amount === "number" && Number.isFinite(amount) && amount > 0)) throw new InvalidOrder("invalid_size", `amount ${amount} must be a positive finite number`);
    const k = this.money.lots(amount);
    if (!(k > 0)) throw new InvalidOrder("lot_size", `amount ${amount} is not a multiple of the lot size ${this.lot}`);
    return k;
  }

  private checkPrice(price: number | undefined): void {
    if (!(typeof price === "number" && Number.isFinite(price) && price > 0)) throw new InvalidOrder("invalid_price", `price ${price} must be a positive finite number`);
    if (!(this.money.ticks(price) > 0)) throw new InvalidOrder("tick_size", `price ${price} is not a multiple of the tick size ${this.tick}`);
  }

  private find(id: string): Rec {
    const r = /^\d+$/.test(id) ? this.orders.get(Number(id)) : undefined;
    if (r === undefined) throw new OrderNotFound("unknown_order", `order ${JSON.stringify(id)} is unknown`);
    return r;
  }

  private record(type: OrderTypeName, side: SideName, amount: number, price: number | undefined, spend: number | undefined, params: OrderParams, placed: number): Rec {
    const r: Rec = {
      id: this.nextId++, clientOrderId: params.clientOrderId, type, side, tif: params.timeInForce ?? "GTC", postOnly: params.postOnly === true,
      price: type === "limit" ? price : undefined, amount, spend, filled: 0, cost: 0, fee: 0, average: undefined, status: "open", reason: undefined,
      placed, timestamp: this.bars.timestamps[placed], lastTradeTimestamp: undefined, reserved: 0,
    };
    this.orders.set(r.id, r);
    return r;
  }

  /** Moves `x` units from free to used (negative: back), in the order's currency. */
  private reserve(r: Rec, x: number): void {
    r.reserved += x;
    if (r.side === "buy") {
      this.quoteFree -= x;
      this.quoteUsed += x;
    } else {
      this.baseFree -= x;
      this.baseUsed += x;
    }
  }

  private end(r: Rec, status: OrderStatus, reason: string | undefined): void {
    this.reserve(r, -r.reserved);
    r.status = status;
    r.reason = reason;
    this.open.splice(this.open.indexOf(r), 1);
    this.changed.push(r);
  }

  private fillMarket(r: Rec, open: number, t: number): void {
    if (r.side === "sell") return this.execute(r, sellPrice(this.fill, open), r.amount, t, "taker");
    const px = buyPrice(this.fill, open);
    const budget = r.reserved + this.quoteFree;
    // The whole amount when the budget covers it; else (or buying by cost) what it buys, in whole lots.
    const qty =
      r.spend === undefined && this.money.buyTotal(r.amount, px) <= budget ? r.amount : this.money.affordable(r.spend === undefined ? budget : Math.min(r.spend, budget), px);
    if (r.spend !== undefined) r.amount = qty;
    if (!(qty > 0)) return this.end(r, "expired", "insufficient_balance");
    this.execute(r, px, qty, t, "taker");
    if (r.status === "open") this.end(r, "expired", "insufficient_balance");
  }

  /** Fills `qty` base units of `r` at `px` (quote per base): the value and commission settle in units. */
  private execute(r: Rec, px: number, qty: number, t: number, role: "taker" | "maker"): void {
    const value = this.money.value(qty, px, r.side === "buy");
    const fee = this.money.fee(value);
    if (r.side === "buy") {
      this.reserve(r, -r.reserved);
      this.quoteFree -= value + fee;
      this.baseFree += qty;
    } else {
      this.reserve(r, -Math.min(qty, r.reserved));
      this.baseFree -= qty;
      this.quoteFree += value - fee;
    }
    // Every reservation covers what its fill can take (a limit fills at its price or better).
    if (this.quoteFree < 0 || this.baseFree < 0) throw new Error(`replay: order ${r.id} overdrew a balance (quote ${this.quoteFree}, base ${this.baseFree} units)`);
    r.filled += qty;
    r.cost += value;
    r.fee += fee;
    r.average = px;
    r.lastTradeTimestamp = t;
    const q = this.money.quote;
    const trade: Trade = {
      id: String(this.nextTrade++), order: String(r.id), timestamp: t, datetime: iso(t), symbol: this.symbol, side: r.side,
      takerOrMaker: role, price: px, amount: this.money.base.toNumber(qty), cost: q.toNumber(value), fee: { cost: q.toNumber(fee), currency: this.quote },
      info: { venueTs: t * 1e6, localTs: t * 1e6 },
    };
    this.trades.push(trade);
    this.fills.push(trade);
    if (r.filled >= r.amount) {
      r.status = "closed";
      const k = this.open.indexOf(r);
      if (k >= 0) this.open.splice(k, 1);
    }
    this.changed.push(r);
  }

  private view(r: Rec): Order {
    const b = this.money.base;
    const q = this.money.quote;
    return {
      id: String(r.id), clientOrderId: r.clientOrderId, timestamp: r.timestamp, datetime: iso(r.timestamp), lastTradeTimestamp: r.lastTradeTimestamp,
      symbol: this.symbol, type: r.type, timeInForce: r.tif, postOnly: r.postOnly, side: r.side, price: r.price,
      average: r.average, amount: b.toNumber(r.amount), filled: b.toNumber(r.filled), remaining: b.toNumber(Math.max(0, r.amount - r.filled)),
      cost: q.toNumber(r.cost), status: r.status, fee: { cost: q.toNumber(r.fee), currency: this.quote }, reason: r.reason, info: this.stamps(),
    };
  }
}
