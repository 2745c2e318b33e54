// CcxtExchange: the Exchange port over any ccxt exchange, created by an async factory that loads markets.
import ccxt from "ccxt";
import {
  BadRequest, InvalidOrder, OrderNotFound,
  type Balances, type Capabilities, type Exchange, type MarketInfo, type OHLCV, type Order, type OrderBook,
  type OrderParams, type OrderTypeName, type SideName, type Trade,
} from "../market/exchange.ts";
import { retryAfterMs, toPortError, withRetries } from "./ccxt-exchange-errors.ts";
import { marketInfo, toBalances, toBook, toOrder, toTrade } from "./ccxt-exchange-map.ts";
import { parseOptions, type CcxtExchangeConfig, type CcxtExchangeInput } from "./ccxt-exchange-options.ts";
import { PollStreams } from "./ccxt-exchange-poll.ts";
import { guardStreamFutures } from "./ccxt-exchange-ws-guard.ts";

/** ccxt's exchange instances, loosely typed: the port maps what they return field by field. */
export type CcxtClient = any;
type Loose = Record<string, unknown>;

/** Binance's newClientOrderId: at most 36 characters. */
const MAX_CLIENT_ID = 36;

/**
 * Creates a CcxtExchange: builds the ccxt client (rate limiter on), points it at `urls` when
 * given, loads the markets and, on binance, the account's fee rates.
 * @throws Error naming the option for bad options; the port's ExchangeError when the venue refuses.
 */
export async function createCcxtExchange(input: CcxtExchangeInput): Promise<CcxtExchange> {
  const cfg = parseOptions(input);
  const secrets = [cfg.apiKey ?? "", cfg.secret ?? ""];
  const ns = cfg.streams === "ws" ? (ccxt as unknown as { pro: Record<string, unknown> }).pro : (ccxt as unknown as Record<string, unknown>);
  const Cls = ns[cfg.id] as (new (c: Loose) => CcxtClient) | undefined;
  if (typeof Cls !== "function") throw new Error(`createCcxtExchange: id: ${JSON.stringify(cfg.id)} is not a ccxt exchange${cfg.streams === "ws" ? " with ccxt pro streams" : ""}`);
  const ex: CcxtClient = new Cls({
    apiKey: cfg.apiKey, secret: cfg.secret, enableRateLimit: true, timeout: cfg.timeoutMs, options: cfg.options,
    ...(cfg.rateLimitMs !== undefined ? { rateLimit: cfg.rateLimitMs } : {}),
  });
  if (cfg.streams === "ws") guardStreamFutures(ex);
  if (cfg.urls !== undefined) {
    const test: Loose = { public: cfg.urls.public, private: cfg.urls.private };
    if (cfg.urls.ws !== undefined) test.ws = { spot: cfg.urls.ws, "ws-api": { spot: cfg.urls.wsApi ?? cfg.urls.ws } };
    ex.urls.test = test;
  }
  if (cfg.sandbox || cfg.urls !== undefined) ex.setSandboxMode(true);
  // ccxt pro refuses plain ws:// URLs (a local venue) until its http agent is loaded.
  if (cfg.streams === "ws") await ex.loadHttpProxyAgent();
  try {
    await withRetries(cfg.retry, () => ex.loadMarkets(), sleep, (e) => retryAfterMs(e, ex.last_response_headers));
  } catch (e) {
    throw toPortError(e, `${cfg.id}: loadMarkets`, secrets);
  }
  const x = new CcxtExchange(ex, cfg);
  await x.loadFees();
  return x;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True for a finite number that is a whole multiple of `step` (within float noise). */
function onGrid(v: number, step: number): boolean {
  const k = v / step;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}

export class CcxtExchange implements Exchange {
  readonly id: string;
  readonly has: Capabilities;
  readonly markets: Record<string, MarketInfo> = {};
  private readonly secrets: readonly string[];
  private nextClientId = 1;
  private readonly streams: PollStreams;
  /** Symbols whose ccxt pro book has been synced from its snapshot. */
  private readonly bookSynced = new Set<string>();
  /** ws mode: the user data stream's subscription, once a watch asked for it (settles when the venue confirmed it). */
  private userStream: Promise<void> | undefined;

  constructor(readonly client: CcxtClient, private readonly cfg: CcxtExchangeConfig) {
    this.id = cfg.id;
    this.secrets = [cfg.apiKey ?? "", cfg.secret ?? ""];
    const tickMode = client.precisionMode === ccxt.TICK_SIZE;
    for (const [s, m] of Object.entries(client.markets as Record<string, Loose>)) {
      if (m.spot === false || m.active === false) continue;
      this.markets[s] = marketInfo(m, tickMode);
    }
    const h = client.has as Record<string, unknown>;
    const yes = (k: string) => h[k] === true || h[k] === "emulated";
    // Binance says per symbol whether cancelReplace (its editOrder) is allowed.
    const editable = Object.values(client.markets as Record<string, Loose>).some((m) => (m.info as Loose | undefined)?.cancelReplaceAllowed !== false);
    this.has = {
      createOrder: yes("createOrder"), cancelOrder: yes("cancelOrder"), editOrder: yes("editOrder") && editable,
      fetchOrder: yes("fetchOrder"), fetchOpenOrders: yes("fetchOpenOrders"), fetchBalance: yes("fetchBalance"),
      fetchOrderBook: yes("fetchOrderBook"), fetchMyTrades: yes("fetchMyTrades"), fetchOHLCV: yes("fetchOHLCV"),
      // Streams are always offered: ccxt pro's when streams = "ws", else polled.
      watchOrderBook: true, watchTrades: true, watchMyTrades: true, watchOrders: true,
      createPostOnlyOrder: h.createPostOnlyOrder !== false, createMarketOrder: h.createMarketOrder !== false,
      selfTradePrevention: yes("selfTradePrevention"),
    };
    this.streams = new PollStreams(cfg.pollMs, {
      fetchOrderBook: (s) => this.fetchOrderBook(s),
      fetchTrades: (s) => this.fetchTrades(s),
      fetchMyTrades: (s) => this.fetchMyTrades(s),
      fetchOpenOrders: (s) => this.fetchOpenOrders(s),
      fetchOrder: (id, s) => this.fetchOrder(id, s),
    });
  }

  /** Binance's account commission rates replace ccxt's default fees (its fee endpoint is on sapi, absent at a test venue). */
  async loadFees(): Promise<void> {
    if (this.id !== "binance" || this.cfg.apiKey === undefined || typeof this.client.privateGetAccount !== "function") return;
    const acct = await this.call("fetch fees", () => this.client.privateGetAccount()) as Loose;
    const rates = acct.commissionRates as Loose | undefined;
    if (rates === undefined) return;
    for (const [s, m] of Object.entries(this.markets)) this.markets[s] = { ...m, maker: Number(rates.maker), taker: Number(rates.taker) };
  }

  /** The venue's clock, Unix ms. */
  milliseconds(): number {
    return this.cfg.clock !== undefined ? this.cfg.clock() : this.client.milliseconds();
  }

  /** Stops the polling loops and closes ccxt pro's sockets. */
  async close(): Promise<void> {
    this.streams.close();
    if (typeof this.client.close === "function") await this.client.close();
  }

  /** A fresh client order id: the session prefix and a counter, within Binance's 36 characters. */
  newClientOrderId(): string {
    return `${this.cfg.clientOrderIdPrefix}-${this.nextClientId++}`.slice(0, MAX_CLIENT_ID);
  }

  // ------------------------------------------------------------------ orders

  async createOrder(symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number, params: OrderParams = {}): Promise<Order> {
    const m = this.market(symbol);
    this.checkOrder(m, type, amount, price);
    const clientOrderId = params.clientOrderId ?? this.newClientOrderId();
    const postOnly = params.postOnly === true || params.timeInForce === "PO";
    const p: Loose = { clientOrderId };
    if (postOnly) p.postOnly = true;
    else if (params.timeInForce !== undefined && type === "limit") p.timeInForce = params.timeInForce;
    const what = `createOrder ${side} ${amount} ${symbol}${price === undefined ? "" : ` at price ${price}`} (clientOrderId ${clientOrderId})`;
    await this.userStreamReady();
    try {
      const o = await withRetries(this.cfg.retry, async (attempt) => {
        // After a network error the order may exist: look it up by client order id before re-sending.
        if (attempt > 0) {
          const found = await this.byClientOrderId(clientOrderId, symbol);
          if (found !== undefined) return found;
        }
        return await this.client.createOrder(symbol, type, side, amount, type === "market" ? undefined : price, { ...p });
      }, sleep, this.hint) as Loose;
      return this.seen(toOrder(o, m, this.milliseconds()));
    } catch (e) {
      const err = toPortError(e, what, this.secrets);
      if (err instanceof InvalidOrder && err.reason === "duplicate_client_order_id") {
        throw new InvalidOrder(err.reason, `clientOrderId: ${clientOrderId} is already used by an open order (${err.message})`);
      }
      throw err;
    }
  }

  /** The order with this client order id, or undefined when the venue says there is none. */
  private async byClientOrderId(clientOrderId: string, symbol: string): Promise<Loose | undefined> {
    try {
      return await this.client.fetchOrder(undefined, symbol, { clientOrderId });
    } catch (e) {
      if (e instanceof ccxt.OrderNotFound) return undefined;
      throw e;
    }
  }

  async cancelOrder(id: string, symbol: string): Promise<Order> {
    const m = this.market(symbol);
    await this.userStreamReady();
    try {
      const o = await withRetries(this.cfg.retry, async (attempt) => {
        try {
          return await this.client.cancelOrder(id, symbol);
        } catch (e) {
          if (!(e instanceof ccxt.OrderNotFound)) throw e;
          // Unknown to cancel: closed already, or (after a lost answer) canceled by our first attempt.
          const f = await this.fetchOrderOrUndefined(id, symbol);
          if (f === undefined) throw e;
          if (attempt > 0 && f.status === "canceled") return f;
          throw new OrderNotFound("order_closed", `cancelOrder: order ${id} is already ${f.status}`);
        }
      }, sleep, this.hint) as Loose;
      return this.seen(toOrder(o, m, this.milliseconds()));
    } catch (e) {
      throw toPortError(e, `cancelOrder ${id} ${symbol}`, this.secrets);
    }
  }

  private async fetchOrderOrUndefined(id: string, symbol: string): Promise<Loose | undefined> {
    try {
      return await this.client.fetchOrder(id, symbol);
    } catch (e) {
      if (e instanceof ccxt.OrderNotFound) return undefined;
      throw e;
    }
  }

  async editOrder(id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number): Promise<Order> {
    const m = this.market(symbol);
    if (!this.has.editOrder) throw new BadRequest("not_supported", `editOrder: ${this.id} at this venue does not offer order amendment (has.editOrder is false)`);
    this.checkOrder(m, type, amount, price);
    await this.userStreamReady();
    // Not retried: an amendment re-sent after a lost answer could apply twice.
    const o = await this.call(`editOrder ${id}`, () => this.client.editOrder(id, symbol, type, side, amount, price)) as Loose;
    return this.seen(toOrder(o, m, this.milliseconds()));
  }

  async fetchOrder(id: string, symbol: string): Promise<Order> {
    const m = this.market(symbol);
    const o = await this.call(`fetchOrder ${id} ${symbol}`, () => this.client.fetchOrder(id, symbol)) as Loose;
    return this.seen(toOrder(o, m, this.milliseconds()));
  }

  async fetchOpenOrders(symbol?: string): Promise<Order[]> {
    const s = this.symbolOr(symbol);
    const m = this.market(s);
    const list = await this.call(`fetchOpenOrders ${s}`, () => this.client.fetchOpenOrders(s)) as Loose[];
    const now = this.milliseconds();
    return list.map((o) => this.seen(toOrder(o, m, now)));
  }

  async fetchBalance(): Promise<Balances> {
    const b = await this.call("fetchBalance", () => this.client.fetchBalance()) as Loose;
    return toBalances(b, this.milliseconds());
  }

  async fetchMyTrades(symbol?: string): Promise<Trade[]> {
    const s = this.symbolOr(symbol);
    const m = this.market(s);
    const list = await this.call(`fetchMyTrades ${s}`, () => this.client.fetchMyTrades(s)) as Loose[];
    const now = this.milliseconds();
    return list.map((t) => toTrade(t, m, now));
  }

  // ------------------------------------------------------------------ market data

  async fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    this.market(symbol);
    const b = await this.call(`fetchOrderBook ${symbol}`, () => this.client.fetchOrderBook(symbol, limit)) as Loose;
    return toBook(b, symbol, this.milliseconds(), limit);
  }

  /** Recent public trades, oldest first. */
  async fetchTrades(symbol: string): Promise<Trade[]> {
    const m = this.market(symbol);
    const list = await this.call(`fetchTrades ${symbol}`, () => this.client.fetchTrades(symbol)) as Loose[];
    const now = this.milliseconds();
    return list.map((t) => toTrade(t, m, now));
  }

  async fetchOHLCV(symbol: string, timeframe = "1m", since?: number, limit?: number): Promise<OHLCV[]> {
    this.market(symbol);
    const rows = await this.call(`fetchOHLCV ${symbol} ${timeframe}`, () => this.client.fetchOHLCV(symbol, timeframe, since, limit)) as OHLCV[];
    const spanMs = this.client.parseTimeframe(timeframe) * 1000;
    const now = this.milliseconds();
    // A candle still forming is never returned.
    return rows.filter((r) => r[0] + spanMs <= now).map((r) => [...r] as OHLCV);
  }

  // ------------------------------------------------------------------ streams

  async watchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    this.market(symbol);
    if (this.cfg.streams === "poll") return this.streams.orderBook(symbol, limit);
    const watch = () => this.call(`watchOrderBook ${symbol}`, () => this.client.watchOrderBook(symbol)) as Promise<Loose>;
    // ccxt pro's first call resolves with the REST snapshot it syncs from; the port promises the next change.
    let b: Loose;
    try {
      if (!this.bookSynced.has(symbol)) {
        await watch();
        this.bookSynced.add(symbol);
      }
      b = await watch();
    } catch (e) {
      // ccxt drops the subscription on a failed sync (a gap in the update ids): the next call re-syncs from a snapshot.
      this.bookSynced.delete(symbol);
      throw e;
    }
    return toBook(b, symbol, this.milliseconds(), limit);
  }

  async watchTrades(symbol: string): Promise<Trade[]> {
    const m = this.market(symbol);
    if (this.cfg.streams === "poll") return this.streams.trades(symbol);
    const list = await this.call(`watchTrades ${symbol}`, () => this.client.watchTrades(symbol)) as Loose[];
    return list.map((t) => toTrade(t, m, this.milliseconds()));
  }

  async watchMyTrades(symbol?: string): Promise<Trade[]> {
    const s = this.symbolOr(symbol);
    const m = this.market(s);
    if (this.cfg.streams === "poll") return this.streams.myTrades(s);
    this.subscribeUserStream();
    const list = await this.call(`watchMyTrades ${s}`, () => this.client.watchMyTrades(s)) as Loose[];
    return list.map((t) => toTrade(t, m, this.milliseconds()));
  }

  async watchOrders(symbol?: string): Promise<Order[]> {
    const s = this.symbolOr(symbol);
    const m = this.market(s);
    if (this.cfg.streams === "poll") return this.streams.orders(s);
    this.subscribeUserStream();
    const list = await this.call(`watchOrders ${s}`, () => this.client.watchOrders(s)) as Loose[];
    return list.map((o) => this.seen(toOrder(o, m, this.milliseconds())));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * ws mode: asks ccxt pro for the user data stream (binance: the WS-API subscription) once. A
   * venue sends only the events after it confirmed a subscription, so orders wait for it: a
   * watch called before an order then always sees that order's events.
   */
  private subscribeUserStream(): void {
    if (this.userStream !== undefined || typeof this.client.authenticate !== "function") return;
    this.userStream = (this.client.authenticate({ type: "spot" }) as Promise<unknown>).then(
      () => undefined,
      // The watch that asked rejects with this error itself; the next watch asks again.
      () => void (this.userStream = undefined),
    );
  }

  private async userStreamReady(): Promise<void> {
    if (this.userStream !== undefined) await this.userStream;
  }

  /** Records an order state for watchOrders (own answers count as changes seen). */
  private seen(o: Order): Order {
    this.streams.observe(o);
    return o;
  }

  /** The wait a 429/418 asked for (Retry-After), read from ccxt's last response headers. */
  private readonly hint = (e: unknown): number | undefined => retryAfterMs(e, this.client.last_response_headers as Record<string, unknown> | undefined);

  /** Runs a read with retries for network errors, mapping refusals to the port's errors. */
  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(this.cfg.retry, f, sleep, this.hint);
    } catch (e) {
      throw toPortError(e, `${this.id} ${what}`, this.secrets);
    }
  }

  /** @throws BadRequest (unknown_symbol) naming the symbol. */
  private market(symbol: string): MarketInfo {
    const m = this.markets[symbol];
    if (m === undefined) throw new BadRequest("unknown_symbol", `symbol: ${symbol} is not listed on ${this.id} (listed: ${Object.keys(this.markets).slice(0, 5).join(", ")})`);
    return m;
  }

  private symbolOr(symbol: string | undefined): string {
    if (symbol !== undefined) return symbol;
    if (this.cfg.symbol !== undefined) return this.cfg.symbol;
    const all = Object.keys(this.markets);
    if (all.length === 1) return all[0];
    throw new BadRequest("symbol_required", `symbol: undefined, but ${this.id} lists ${all.length} markets and no default symbol was set`);
  }

  /** The port's order checks, before anything is sent: ccxt would round an off-grid value silently. */
  private checkOrder(m: MarketInfo, type: OrderTypeName, amount: number, price: number | undefined): void {
    if (!(Number.isFinite(amount) && amount > 0)) throw new InvalidOrder("invalid_size", `amount: ${amount} must be a positive finite number`);
    if (!onGrid(amount, m.precision.amount)) throw new InvalidOrder("lot_size", `amount: ${amount} is not a multiple of the lot size ${m.precision.amount}`);
    if (type === "market") return;
    if (price === undefined || !(Number.isFinite(price) && price > 0)) throw new InvalidOrder("invalid_price", `price: ${price} must be a positive finite number for a limit order`);
    if (!onGrid(price, m.precision.price)) throw new InvalidOrder("tick_size", `price: ${price} is not a multiple of the tick size ${m.precision.price}`);
  }
}

