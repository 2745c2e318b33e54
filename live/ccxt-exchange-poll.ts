// watch* by polling fetch* on an interval, for venues without WebSocket streams: each call resolves at the next change.
import { ExchangeError, type Order, type OrderBook, type Trade } from "../market/exchange.ts";

/** The reads the streams poll. */
export interface PollSource {
  fetchOrderBook(symbol: string): Promise<OrderBook>;
  fetchTrades(symbol: string): Promise<Trade[]>;
  fetchMyTrades(symbol: string): Promise<Trade[]>;
  fetchOpenOrders(symbol: string): Promise<Order[]>;
  fetchOrder(id: string, symbol: string): Promise<Order>;
}

/** Order changes and trade ids kept; older ones are dropped (a watcher that far behind has missed them). */
const KEEP = 10_000;

/** What makes an order's state differ, for change detection. */
function stateOf(o: Order): string {
  return `${o.status}|${o.filled}|${o.remaining}|${o.amount}|${o.price}`;
}

function bookKey(b: OrderBook): string {
  return JSON.stringify([b.bids, b.asks]);
}

/**
 * Polled streams. Order changes are kept in a journal fed by every order answer the client
 * sees (its own createOrder/cancelOrder too), so a change made right after a watch call is
 * never missed; trades are told apart by id.
 */
export class PollStreams {
  private closed = false;
  private readonly books = new Map<string, string>();
  private readonly tradeSeen = new Map<string, Set<string>>();
  private readonly myTradeSeen = new Map<string, Set<string>>();
  private readonly orderState = new Map<string, { state: string; symbol: string }>();
  private readonly journal: Order[] = [];
  private readonly cursors = new Map<string, number>();

  constructor(private readonly pollMs: number, private readonly src: PollSource) {}

  close(): void {
    this.closed = true;
  }

  /** Records an order as seen; a new state is a change for watchOrders. */
  observe(o: Order): void {
    const s = stateOf(o);
    if (this.orderState.get(o.id)?.state === s) return;
    this.orderState.set(o.id, { state: s, symbol: o.symbol });
    this.journal.push(o);
    if (this.journal.length > 2 * KEEP) {
      const drop = this.journal.length - KEEP;
      this.journal.splice(0, drop);
      for (const [k, c] of this.cursors) this.cursors.set(k, Math.max(0, c - drop));
      for (const [id, st] of [...this.orderState]) if (!st.state.startsWith("open|") && this.orderState.size > KEEP) this.orderState.delete(id);
    }
  }

  /** The book at its next change after the one last delivered (the first call: after now). */
  async orderBook(symbol: string, limit?: number): Promise<OrderBook> {
    if (!this.books.has(symbol)) this.books.set(symbol, bookKey(await this.src.fetchOrderBook(symbol)));
    return this.until(async () => {
      const b = await this.src.fetchOrderBook(symbol);
      const k = bookKey(b);
      if (k === this.books.get(symbol)) return undefined;
      this.books.set(symbol, k);
      return limit === undefined ? b : { ...b, bids: b.bids.slice(0, limit), asks: b.asks.slice(0, limit) };
    });
  }

  async trades(symbol: string): Promise<Trade[]> {
    return this.newTrades(this.tradeSeen, symbol, () => this.src.fetchTrades(symbol));
  }

  async myTrades(symbol: string): Promise<Trade[]> {
    return this.newTrades(this.myTradeSeen, symbol, () => this.src.fetchMyTrades(symbol));
  }

  /** Trades not seen before; the first call only marks what already exists as seen. */
  private async newTrades(seen: Map<string, Set<string>>, symbol: string, fetch: () => Promise<Trade[]>): Promise<Trade[]> {
    let ids = seen.get(symbol);
    if (ids === undefined) {
      ids = new Set((await fetch()).map((t) => t.id));
      seen.set(symbol, ids);
    }
    const known = ids;
    return this.until(async () => {
      const fresh = (await fetch()).filter((t) => !known.has(t.id));
      for (const t of fresh) known.add(t.id);
      // A Set iterates in insertion order: the oldest ids go first.
      for (const id of known) {
        if (known.size <= KEEP) break;
        known.delete(id);
      }
      return fresh.length > 0 ? fresh : undefined;
    });
  }

  /** Own orders whose state changed since the previous call (the first call: since it was made). */
  async orders(symbol: string): Promise<Order[]> {
    if (!this.cursors.has(symbol)) this.cursors.set(symbol, this.journal.length);
    const take = () => {
      // Read each time: trimming the journal moves the cursors.
      const from = this.cursors.get(symbol)!;
      const out = this.journal.slice(from).filter((o) => o.symbol === symbol);
      if (out.length === 0) return undefined;
      this.cursors.set(symbol, this.journal.length);
      // The latest state of each order, in the order they changed.
      const last = new Map<string, Order>();
      for (const o of out) last.set(o.id, o);
      return [...last.values()];
    };
    return this.until(async () => {
      const ready = take();
      if (ready !== undefined) return ready;
      const open = await this.src.fetchOpenOrders(symbol);
      const openIds = new Set(open.map((o) => o.id));
      // An order that left the open list ended: its final state comes from fetchOrder (which observes it).
      for (const [id, s] of [...this.orderState]) {
        if (s.symbol === symbol && s.state.startsWith("open|") && !openIds.has(id)) await this.src.fetchOrder(id, symbol);
      }
      return take();
    });
  }

  /** Polls `probe` every pollMs until it yields a value. @throws ExchangeError (closed) once closed. */
  private async until<T>(probe: () => Promise<T | undefined>): Promise<T> {
    for (;;) {
      if (this.closed) throw new ExchangeError("closed", "the exchange was closed while a watch was pending");
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}
