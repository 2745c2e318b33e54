// A scripted market data source for paper broker tests: the test sets the book and prints trades; it refuses every order.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BadRequest, type Capabilities, type Exchange, type MarketInfo, type OHLCV, type Order, type OrderBook, type SideName, type Trade,
} from "../../../market/exchange.ts";
import { createPaperBroker, type PaperBroker, type PaperCosts } from "../../../live/paper/broker.ts";

export const SYMBOL = "BTC/USDT";
/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600_000;

const HAS: Capabilities = {
  createOrder: false, cancelOrder: false, editOrder: false, fetchOrder: false, fetchOpenOrders: false, fetchBalance: false,
  fetchOrderBook: true, fetchMyTrades: false, fetchOHLCV: true, watchOrderBook: true, watchTrades: true, watchMyTrades: false,
  watchOrders: false, createPostOnlyOrder: false, createMarketOrder: false, selfTradePrevention: false,
};

type Row = readonly [number, number];

/** The data feed: `book(...)` and `print(...)` script it; `settled()` waits until the broker has read everything. */
export class ScriptedFeed implements Exchange {
  readonly id = "scripted";
  readonly has = HAS;
  readonly markets: Record<string, MarketInfo> = {
    [SYMBOL]: { symbol: SYMBOL, base: "BTC", quote: "USDT", precision: { price: 0.01, amount: 1e-8 }, limits: { cost: { min: 0 } }, maker: 0, taker: 0 },
  };
  /** The feed's clock, Unix ms: each print moves it 1 ms on. */
  now = T0;
  /** While true, printed trades wait (as a polled feed delivers them late) until `hold` is false and something is printed or `release()`d. */
  hold = false;
  /** Orders the broker tried to send here (must stay 0). */
  ordersSent = 0;
  private current: OrderBook;
  private books: OrderBook[] = [];
  private trades: Trade[] = [];
  private bookWaiter: ((b: OrderBook) => void) | undefined;
  private tradeWaiter: ((t: Trade[]) => void) | undefined;
  private nextTrade = 1;
  /** Trade ids are `${idPrefix}${n}`: a second feed standing for the same venue later must not reuse the first one's ids. */
  idPrefix = "t";

  constructor(bids: Row[] = [], asks: Row[] = []) {
    this.current = this.make(bids, asks);
  }

  private make(bids: Row[], asks: Row[]): OrderBook {
    return { symbol: SYMBOL, bids, asks, timestamp: this.now, datetime: new Date(this.now).toISOString(), nonce: this.now, info: { venueTs: this.now * 1e6, localTs: this.now * 1e6 } };
  }

  /** A new book (best first on each side). */
  book(bids: Row[], asks: Row[]): void {
    this.now++;
    this.current = this.make(bids, asks);
    if (this.bookWaiter !== undefined) {
      const w = this.bookWaiter;
      this.bookWaiter = undefined;
      w(this.current);
    } else this.books.push(this.current);
  }

  /** Public trades printed one after another, `taker` the aggressor's side. */
  print(...ts: [price: number, amount: number, taker: SideName][]): void {
    for (const [price, amount, side] of ts) {
      this.now++;
      this.trades.push({
        id: `${this.idPrefix}${this.nextTrade++}`, order: undefined, timestamp: this.now, datetime: new Date(this.now).toISOString(), symbol: SYMBOL, side,
        takerOrMaker: undefined, price, amount, cost: price * amount, fee: undefined, info: { venueTs: this.now * 1e6, localTs: this.now * 1e6 },
      });
    }
    this.release();
  }

  /** Delivers held trades (when not holding). */
  release(): void {
    if (!this.hold && this.tradeWaiter !== undefined && this.trades.length > 0) {
      const w = this.tradeWaiter;
      this.tradeWaiter = undefined;
      const out = this.trades;
      this.trades = [];
      w(out);
    }
  }

  /** Resolves once the broker has taken every book and trade and is waiting for more. */
  async settled(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      if (this.books.length === 0 && (this.trades.length === 0 || this.hold) && this.bookWaiter !== undefined && this.tradeWaiter !== undefined) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error("the broker did not read the scripted feed");
  }

  milliseconds(): number {
    return this.now;
  }

  async fetchOrderBook(symbol: string, limit?: number): Promise<OrderBook> {
    this.check(symbol);
    const b = this.current;
    return limit === undefined ? b : { ...b, bids: b.bids.slice(0, limit), asks: b.asks.slice(0, limit) };
  }

  async watchOrderBook(symbol: string): Promise<OrderBook> {
    this.check(symbol);
    const b = this.books.pop();
    if (b !== undefined) {
      this.books = [];
      return b;
    }
    return new Promise((r) => (this.bookWaiter = r));
  }

  async watchTrades(symbol: string): Promise<Trade[]> {
    this.check(symbol);
    if (this.trades.length > 0 && !this.hold) {
      const out = this.trades;
      this.trades = [];
      return out;
    }
    return new Promise((r) => (this.tradeWaiter = r));
  }

  async fetchOHLCV(): Promise<OHLCV[]> {
    return [[T0, 1, 1, 1, 1, 0]];
  }

  private check(symbol: string): void {
    if (symbol !== SYMBOL) throw new BadRequest("unknown_symbol", `symbol: ${symbol} is not scripted`);
  }

  private refuse(): never {
    this.ordersSent++;
    throw new Error("the data feed was sent an order or an account request");
  }

  async createOrder(): Promise<Order> { return this.refuse(); }
  async cancelOrder(): Promise<Order> { return this.refuse(); }
  async editOrder(): Promise<Order> { return this.refuse(); }
  async fetchOrder(): Promise<Order> { return this.refuse(); }
  async fetchOpenOrders(): Promise<Order[]> { return this.refuse(); }
  async fetchBalance(): Promise<never> { return this.refuse(); }
  async fetchMyTrades(): Promise<Trade[]> { return this.refuse(); }
  async watchMyTrades(): Promise<Trade[]> { return this.refuse(); }
  async watchOrders(): Promise<Order[]> { return this.refuse(); }
}

export const NO_COSTS: PaperCosts = { makerFee: 0, takerFee: 0, latencyMs: 0, slippageBps: 0 };

/** A fresh journal folder under the system's temp folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "paper-"));
}

/** A paper broker on `feed` with a fresh journal (or `dir`). */
export async function paper(feed: ScriptedFeed, o: { costs?: PaperCosts; balances?: Record<string, number>; dir?: string; notices?: string[] } = {}): Promise<PaperBroker> {
  const b = await createPaperBroker({
    data: feed, symbol: SYMBOL, balances: o.balances ?? { BTC: 10, USDT: 1_000_000 }, costs: o.costs ?? NO_COSTS, journalDir: o.dir ?? tempDir(),
    onNotice: (m) => o.notices?.push(m),
  });
  await feed.settled();
  return b;
}
