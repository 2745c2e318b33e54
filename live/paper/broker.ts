// The paper broker: the Exchange port with live market data from another Exchange and fills simulated against it, journaled to disk.
//
// Market data come from `data` (in practice a CcxtExchange), which is never sent an order: the
// latest book and the public trades feed the matching rules (engine.ts: market orders walk the
// book, resting limit orders queue at their price and fill by real trades beyond the queue,
// queue.ts). Every change is journaled before it is applied (journal.ts), so a restart on the
// same folder resumes with the same balances and open orders, queue positions included.
import {
  BadRequest, ExchangeError, InvalidOrder, OrderNotFound,
  type Balances, type Capabilities, type Exchange, type MarketInfo, type OHLCV, type Order, type OrderBook,
  type OrderParams, type OrderTypeName, type SideName, type TimeInForceName, type Trade,
} from "../../market/exchange.ts";
import { BarMoney } from "../../market/fills/money.ts";
import { PaperBook } from "./book.ts";
import { PaperEngine, type PaperRequest } from "./engine.ts";
import { Journal, type JournalHeader } from "./journal.ts";
import { PaperLedger, type PaperFill, type PaperOrder } from "./ledger.ts";
import { Mailbox } from "./mailbox.ts";
import { checkOptions } from "./options.ts";
import { PaperViews } from "./views.ts";

export interface PaperCosts {
  /** Fee rates, fractions (0.001 = 0.1%): maker for resting fills, taker for fills that take the book. */
  readonly makerFee: number;
  readonly takerFee: number;
  /** Time from a request (create, cancel, edit) to its effect at the paper venue, wall ms. */
  readonly latencyMs: number;
  /** Slippage of taker fills, basis points against the trader (never beyond a limit price). */
  readonly slippageBps: number;
}

export interface PaperBrokerOptions {
  /** Live market data; never sent an order. */
  readonly data: Exchange;
  /** e.g. "BTC/USDT". */
  readonly symbol: string;
  /** Starting balances when the journal is new, e.g. { BTC: 0, USDT: 10000 }; ignored when a journal is resumed. */
  readonly balances: Readonly<Record<string, number>>;
  readonly costs: PaperCosts;
  /** Created if absent; an existing journal is resumed. */
  readonly journalDir: string;
  /** Told of what a user should know: a torn journal line dropped, a data feed error (retried). */
  readonly onNotice?: (msg: string) => void;
}

/** What opening the journal found. */
export interface JournalReport {
  readonly dir: string;
  readonly created: boolean;
  /** Events replayed from disk. */
  readonly events: number;
  /** A torn last line a crash left, dropped; undefined when none. */
  readonly torn: string | undefined;
}

export interface PaperBroker extends Exchange {
  /** Stops reading the data feed and closes the journal (the data source itself is left open). */
  close(): Promise<void>;
  readonly journal: JournalReport;
}

const CAPABILITIES: Capabilities = Object.freeze({
  createOrder: true, cancelOrder: true, editOrder: true, fetchOrder: true, fetchOpenOrders: true, fetchBalance: true,
  fetchOrderBook: true, fetchMyTrades: true, fetchOHLCV: true, watchOrderBook: true, watchTrades: true, watchMyTrades: true,
  watchOrders: true, createPostOnlyOrder: true, createMarketOrder: true, selfTradePrevention: false,
});

/** Wait after a data feed error before asking again, wall ms. */
const FEED_RETRY_MS = 500;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Opens (or resumes) a paper account on `opts.symbol` and starts reading the data feed.
 * @throws Error naming the field for bad options, an unknown symbol, a starting balance that is
 *   not a whole number of units or names another currency, a journal folder holding anything
 *   but this broker's journal, or a journal of another symbol or other units.
 */
export async function createPaperBroker(opts: PaperBrokerOptions): Promise<PaperBroker> {
  checkOptions(opts);
  const market = opts.data.markets[opts.symbol];
  if (market === undefined) throw new BadRequest("unknown_symbol", `createPaperBroker: symbol: ${opts.symbol} is not listed by the data source ${opts.data.id}`);
  const c = opts.costs;
  const slippage = c.slippageBps / 10_000;
  const maker = new BarMoney(market.precision.price, market.precision.amount, { commission: c.makerFee, slippage });
  const taker = new BarMoney(market.precision.price, market.precision.amount, { commission: c.takerFee, slippage });
  const decimals = { base: maker.base.d, quote: maker.quote.d, price: maker.price.d };
  const fresh = (): JournalHeader => ({
    format: "btc-arena/paper-journal", version: 1, symbol: opts.symbol, decimals, start: startUnits(opts.balances, market, maker),
  });
  const expect = (h: JournalHeader) => {
    if (h.symbol !== opts.symbol) throw new Error(`paper journal: ${opts.journalDir} is a journal of ${h.symbol}, not of symbol ${opts.symbol}`);
    const d = h.decimals;
    if (d.base !== decimals.base || d.quote !== decimals.quote || d.price !== decimals.price) {
      throw new Error(`paper journal: ${opts.journalDir} counts in units of 1e-${d.base} ${market.base}, 1e-${d.quote} ${market.quote}, price 1e-${d.price}; the market now needs 1e-${decimals.base}, 1e-${decimals.quote}, 1e-${decimals.price}`);
    }
  };
  const journal = Journal.open(opts.journalDir, fresh, expect);
  try {
    const ledger = new PaperLedger(journal.opened.header.start);
    for (const ev of journal.opened.events) ledger.apply(ev);
    const broker = new PaperBrokerImpl(opts, market, maker, taker, ledger, journal);
    if (journal.opened.torn !== undefined) broker.notice(`paper journal ${opts.journalDir}: dropped a torn last line (a crash mid-write): ${JSON.stringify(journal.opened.torn.slice(0, 200))}`);
    await broker.start();
    return broker;
  } catch (e) {
    journal.close();
    throw e;
  }
}

/** Starting balances in units. @throws Error naming the currency and value. */
function startUnits(balances: Readonly<Record<string, number>>, m: MarketInfo, money: BarMoney): { base: number; quote: number } {
  for (const k of Object.keys(balances)) {
    if (k !== m.base && k !== m.quote) throw new Error(`createPaperBroker: balances.${k}: ${balances[k]} is not a currency of ${m.symbol} (${m.base}, ${m.quote})`);
  }
  const units = (cur: string, u: BarMoney["base"]) => {
    const v = balances[cur] ?? 0;
    const x = u.exact(v);
    if (!(x >= 0)) throw new Error(`createPaperBroker: balances.${cur}: ${v} must be a non-negative whole number of units of ${u.toNumber(1)} ${cur}`);
    return x;
  };
  return { base: units(m.base, money.base), quote: units(m.quote, money.quote) };
}

class PaperBrokerImpl implements PaperBroker {
  readonly id = "paper";
  readonly has = CAPABILITIES;
  readonly markets: Readonly<Record<string, MarketInfo>>;
  readonly journal: JournalReport;
  private readonly symbol: string;
  private readonly data: Exchange;
  private readonly engine: PaperEngine;
  private readonly views: PaperViews;
  private readonly book: PaperBook;
  private closed = false;
  private readonly books = new Mailbox<OrderBook>(false);
  private readonly publicTrades = new Mailbox<Trade>(false);
  private readonly orderChanges = new Mailbox<PaperOrder>(true);
  private readonly myFills = new Mailbox<PaperFill>(true);

  constructor(
    private readonly opts: PaperBrokerOptions, private readonly market: MarketInfo, private readonly maker: BarMoney, taker: BarMoney,
    private readonly ledger: PaperLedger, private readonly file: Journal,
  ) {
    this.symbol = opts.symbol;
    this.data = opts.data;
    this.markets = Object.freeze({ [opts.symbol]: Object.freeze({ ...market, maker: opts.costs.makerFee, taker: opts.costs.takerFee }) });
    this.journal = { dir: file.dir, created: file.opened.created, events: file.opened.events.length, torn: file.opened.torn };
    this.book = new PaperBook(maker);
    this.views = new PaperViews(maker, this.symbol, market.base, market.quote);
    this.engine = new PaperEngine({
      ledger, book: this.book, maker, taker, minCost: maker.quote.floor(market.limits.cost.min), base: market.base, quote: market.quote,
      write: (ev) => file.append(ev),
      changed: (o, f) => {
        this.orderChanges.push(o);
        if (f !== undefined) this.myFills.push(f);
      },
    });
  }

  notice(msg: string): void {
    this.opts.onNotice?.(msg);
  }

  /** Reads the first book, then follows the book and the trades until closed. */
  async start(): Promise<void> {
    this.onBook(await this.data.fetchOrderBook(this.symbol));
    // Not awaited: they run until close(), and report their errors through onNotice.
    void this.follow("watchOrderBook", () => this.data.watchOrderBook(this.symbol), (b) => this.onBook(b));
    void this.follow("watchTrades", () => this.data.watchTrades(this.symbol), (ts) => {
      this.engine.onTrades(ts);
      this.publicTrades.push(...ts);
    });
  }

  private onBook(b: OrderBook): void {
    this.engine.onBook(b);
    this.books.push(b);
  }

  private async follow<T>(what: string, get: () => Promise<T>, use: (v: T) => void): Promise<void> {
    while (!this.closed) {
      try {
        const v = await get();
        if (this.closed) return;
        use(v);
      } catch (e) {
        if (this.closed || (e instanceof ExchangeError && e.reason === "closed")) return;
        this.notice(`paper broker: data ${what} failed (retrying in ${FEED_RETRY_MS} ms): ${e instanceof Error ? e.message : String(e)}`);
        await sleep(FEED_RETRY_MS);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const m of [this.books, this.publicTrades, this.orderChanges, this.myFills] as Mailbox<unknown>[]) m.close();
    this.file.close();
  }

  // ---------------------------------------------------------------- orders

  async createOrder(symbol: string, type: OrderTypeName, side: SideName, amount: number, price?: number, params: OrderParams = {}): Promise<Order> {
    this.checkSymbol(symbol);
    if (type !== "market" && type !== "limit") throw new BadRequest("bad_type", `type: ${JSON.stringify(type)} is not "market" or "limit"`);
    if (side !== "buy" && side !== "sell") throw new BadRequest("bad_side", `side: ${JSON.stringify(side)} is not "buy" or "sell"`);
    const qty = this.checkAmount(amount);
    const px = type === "limit" ? this.checkPrice(price) : undefined;
    const tif: TimeInForceName = params.timeInForce ?? (params.postOnly === true ? "PO" : "GTC");
    if (!["GTC", "IOC", "FOK", "PO"].includes(tif)) throw new BadRequest("bad_argument", `timeInForce: ${JSON.stringify(tif)} is not GTC, IOC, FOK or PO`);
    const postOnly = tif === "PO" || params.postOnly === true;
    if (postOnly && type !== "limit") throw new InvalidOrder("post_only_market", "postOnly: true on a market order: a market order cannot be post-only");
    const coid = params.clientOrderId;
    if (coid !== undefined && (typeof coid !== "string" || coid.length === 0 || coid.length > 64)) throw new InvalidOrder("bad_client_order_id", `clientOrderId: ${JSON.stringify(coid)} must be 1-64 characters`);
    await this.travel();
    const q: PaperRequest = { type, side, amount: qty, price: px, tif: postOnly ? "PO" : tif, postOnly, clientOrderId: coid };
    return this.views.order(this.engine.place(q, this.data.milliseconds()));
  }

  async cancelOrder(id: string, symbol: string): Promise<Order> {
    this.checkSymbol(symbol);
    await this.travel();
    return this.views.order(this.engine.cancel(id, this.data.milliseconds()));
  }

  async editOrder(id: string, symbol: string, type: OrderTypeName, side: SideName, amount: number, price: number): Promise<Order> {
    this.checkSymbol(symbol);
    if (type !== "limit") throw new InvalidOrder("not_supported", `editOrder: type ${JSON.stringify(type)}: only a limit order's price and amount can be edited`);
    const qty = this.checkAmount(amount);
    const px = this.checkPrice(price);
    await this.travel();
    return this.views.order(this.engine.edit(id, side, qty, px, this.data.milliseconds()));
  }

  async fetchOrder(id: string, symbol: string): Promise<Order> {
    this.checkSymbol(symbol);
    const r = this.ledger.orders.get(id);
    if (r === undefined) throw new OrderNotFound("unknown_order", `order ${JSON.stringify(id)} is unknown`);
    return this.views.order(r);
  }

  async fetchOpenOrders(symbol?: string): Promise<Order[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    return this.ledger.open.map((r) => this.views.order(r));
  }

  async fetchMyTrades(symbol?: string): Promise<Trade[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    return this.ledger.fills.map((f) => this.views.trade(f));
  }

  async fetchBalance(): Promise<Balances> {
    return this.views.balances(this.ledger.purse, this.data.milliseconds());
  }

  // ---------------------------------------------------------------- market data: the data source's

  milliseconds(): number {
    return this.data.milliseconds();
  }

  async fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    this.checkSymbol(symbol);
    return this.data.fetchOrderBook(symbol, limit);
  }

  async fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<OHLCV[]> {
    this.checkSymbol(symbol);
    return this.data.fetchOHLCV(symbol, timeframe, since, limit);
  }

  /** The data source's next book (read once by the broker and shared: a second reader would split the source's stream). */
  async watchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    this.checkSymbol(symbol);
    const got = await this.books.take();
    const b = got[got.length - 1];
    return limit === undefined ? b : { ...b, bids: b.bids.slice(0, limit), asks: b.asks.slice(0, limit) };
  }

  /** The data source's public trades since the previous call (the paper fills are not public). */
  async watchTrades(symbol: string): Promise<Trade[]> {
    this.checkSymbol(symbol);
    return this.publicTrades.take();
  }

  async watchMyTrades(symbol?: string): Promise<Trade[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    return (await this.myFills.take()).map((f) => this.views.trade(f));
  }

  async watchOrders(symbol?: string): Promise<Order[]> {
    if (symbol !== undefined) this.checkSymbol(symbol);
    const changed = await this.orderChanges.take();
    // Each order once, in its latest state, in the order they changed.
    const last = new Map<string, PaperOrder>();
    for (const r of changed) {
      last.delete(r.id);
      last.set(r.id, r);
    }
    return [...last.values()].map((r) => this.views.order(r));
  }

  // ---------------------------------------------------------------- inside

  /** The request's way to the paper venue. @throws ExchangeError (closed) when the broker closed meanwhile. */
  private async travel(): Promise<void> {
    if (this.closed) throw new ExchangeError("closed", "the paper broker is closed");
    const ms = this.opts.costs.latencyMs;
    if (ms > 0) await sleep(ms);
    if (this.closed) throw new ExchangeError("closed", "the paper broker was closed while the request was on its way");
  }

  private checkSymbol(symbol: string): void {
    if (symbol !== this.symbol) throw new BadRequest("unknown_symbol", `symbol: ${symbol} is not traded by this paper broker (it trades ${this.symbol})`);
  }

  /** @throws InvalidOrder (invalid_size, lot_size) naming amount and value. */
  private checkAmount(amount: number): number {
    if (!(typeof amount === "number" && Number.isFinite(amount) && amount > 0)) throw new InvalidOrder("invalid_size", `amount: ${amount} must be a positive finite number`);
    const k = this.maker.lots(amount);
    if (!(k > 0)) throw new InvalidOrder("lot_size", `amount: ${amount} is not a multiple of the lot size ${this.market.precision.amount}`);
    return k;
  }

  /** @throws InvalidOrder (invalid_price, tick_size) naming price and value. */
  private checkPrice(price: number | undefined): number {
    if (!(typeof price === "number" && Number.isFinite(price) && price > 0)) throw new InvalidOrder("invalid_price", `price: ${price} must be a positive finite number for a limit order`);
    const k = this.maker.ticks(price);
    if (!(k > 0)) throw new InvalidOrder("tick_size", `price: ${price} is not a multiple of the tick size ${this.market.precision.price}`);
    return k;
  }
}
