// The Exchange conformance suite: what a bot may rely on from any implementation of the port.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BadRequest,
  ExchangeError,
  InsufficientFunds,
  InvalidOrder,
  OrderNotFound,
  type Balances,
  type Capabilities,
  type Exchange,
  type MarketInfo,
  type OrderBook,
  type Trade,
} from "../../market/exchange.ts";

/** The two clients a script trades with, and a way to let time pass inside it. */
export interface Clients {
  readonly maker: Exchange;
  readonly taker: Exchange;
  readonly symbol: string;
  /** Lets `ms` milliseconds of (simulated or real) time pass. */
  sleep(ms: number): Promise<void>;
}

/**
 * A fresh venue with two funded accounts on it. Each test gets its own harness.
 * The clients are only valid inside `run`: a simulator needs its clock running for any
 * answer to arrive.
 */
export interface Harness {
  /** The instrument both clients trade. */
  readonly symbol: string;
  /** A price near the market, around which the suite places its orders. */
  readonly refPrice: number;
  /** True when no one but the two clients touches the book, so exact book contents hold. */
  readonly isolated: boolean;
  /**
   * Runs `script` against the two clients, letting time pass until it settles.
   * Resolves with its result; rejects with its error, or if it never finishes.
   */
  run<T>(script: (c: Clients) => Promise<T>): Promise<T>;
}

/** Every method of the port; each must be offered and flagged in `has`. */
export const PORT_METHODS = [
  "createOrder", "cancelOrder", "editOrder", "fetchOrder", "fetchOpenOrders", "fetchBalance",
  "fetchOrderBook", "fetchMyTrades", "watchOrderBook", "watchTrades", "watchMyTrades", "watchOrders",
] as const satisfies readonly (keyof Capabilities & keyof Exchange)[];

/** Grid helpers for one market: prices `k` ticks from the reference, amounts in lots. */
class Grid {
  readonly tick: number;
  readonly lot: number;
  /** A comfortable order size: at least twice the minimum notional at the reference price. */
  readonly A: number;
  private readonly refTicks: number;

  constructor(readonly market: MarketInfo, refPrice: number) {
    this.tick = market.precision.price;
    this.lot = market.precision.amount;
    this.refTicks = Math.round(refPrice / this.tick);
    const lots = Math.max(1, Math.ceil((2 * market.limits.cost.min) / (refPrice * this.lot)));
    this.A = this.amt(lots);
  }

  /** The price `k` ticks away from the reference. */
  px(k: number): number {
    return Number(((this.refTicks + k) * this.tick).toPrecision(12));
  }

  /** `lots` lots as a base amount. */
  amt(lots: number): number {
    return Number((lots * this.lot).toPrecision(12));
  }

  /** `n` times the standard amount. */
  times(n: number): number {
    return Number((n * this.A).toPrecision(12));
  }
}

function near(actual: number, expected: number, what: string, tol = 1e-9 * Math.max(1, Math.abs(expected))): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not ${expected} (±${tol})`);
}

/** A predicate for assert.rejects: the class, the reason, and message fragments. */
function refusal(cls: new (...a: never[]) => ExchangeError, reason: string, ...fragments: string[]) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.ok(e instanceof ExchangeError);
    assert.equal(e.reason, reason, `reason of "${e.message}"`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message "${e.message}" does not name ${JSON.stringify(f)}`);
    return true;
  };
}

/** The numbers of a balance, for before/after comparisons. */
function numbers(b: Balances, currencies: readonly string[]): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  for (const c of currencies) out[c] = [b.free[c], b.used[c], b.total[c]];
  return out;
}

function assertSorted(book: OrderBook): void {
  for (let i = 1; i < book.bids.length; i++) assert.ok(book.bids[i - 1][0] > book.bids[i][0], "bids best (highest) first");
  for (let i = 1; i < book.asks.length; i++) assert.ok(book.asks[i - 1][0] < book.asks[i][0], "asks best (lowest) first");
  if (book.bids.length > 0 && book.asks.length > 0) assert.ok(book.bids[0][0] < book.asks[0][0], "book is not crossed");
}

function level(side: OrderBook["bids"], price: number): number | undefined {
  return side.find((l) => l[0] === price)?.[1];
}

/**
 * Registers the conformance tests for one implementation of `Exchange`.
 * @param makeHarness builds a fresh venue with two funded clients for each test.
 */
export function exchangeConformance(
  name: string,
  makeHarness: () => Promise<Harness>,
  opts: {
    /** Checks declared not applicable, by title start, each with the reason; an entry matching no check is an error. */
    readonly notApplicable?: Readonly<Record<string, string>>;
  } = {},
): void {
  const na = new Map(Object.entries(opts.notApplicable ?? {}));
  const used = new Set<string>();
  const skipFor = (title: string): string | undefined => {
    for (const [k, why] of na) {
      if (title.startsWith(k)) {
        used.add(k);
        return `not applicable: ${why}`;
      }
    }
    return undefined;
  };
  /** Runs `body` in a fresh harness with the market's grid at hand. */
  const inHarness = (body: (c: Clients, g: Grid, h: Harness) => Promise<void>) => async () => {
    const h = await makeHarness();
    await h.run(async (c) => {
      const market = c.maker.markets[h.symbol];
      assert.ok(market !== undefined, `markets has no ${h.symbol}`);
      await body(c, new Grid(market, h.refPrice), h);
    });
  };

  const it = (title: string, body: (c: Clients, g: Grid, h: Harness) => Promise<void>) => {
    const skip = skipFor(title);
    if (skip !== undefined) test(`${name}: ${title}`, { skip }, () => undefined);
    else test(`${name}: ${title}`, inHarness(body));
  };

  it("has lists every method of the port as true, and each is a function", async ({ maker, taker }) => {
    for (const ex of [maker, taker]) {
      for (const m of PORT_METHODS) {
        assert.equal(ex.has[m], true, `has.${m}`);
        assert.equal(typeof ex[m], "function", `${m} is a method`);
      }
    }
  });

  it("markets describes the symbol: base/quote, tick, lot, fees", async ({ maker, symbol }) => {
    const m = maker.markets[symbol];
    assert.equal(m.symbol, symbol);
    assert.equal(`${m.base}/${m.quote}`, symbol);
    assert.ok(m.precision.price > 0 && m.precision.amount > 0);
    assert.ok(m.maker >= 0 && m.maker < 0.1 && m.taker >= 0 && m.taker < 0.1);
  });

  it("createOrder limit resolves with an open order, listed by fetchOpenOrders and fetchOrder", async ({ maker, symbol }, g) => {
    const price = g.px(-10);
    const o = await maker.createOrder(symbol, "limit", "buy", g.A, price);
    assert.equal(typeof o.id, "string");
    assert.ok(o.id.length > 0);
    assert.equal(o.symbol, symbol);
    assert.equal(o.type, "limit");
    assert.equal(o.side, "buy");
    assert.equal(o.price, price);
    assert.equal(o.amount, g.A);
    assert.equal(o.filled, 0);
    assert.equal(o.remaining, g.A);
    assert.equal(o.status, "open");
    assert.equal(o.average, undefined);
    assert.equal(o.datetime, new Date(o.timestamp).toISOString());
    assert.ok(o.info.localTs >= o.info.venueTs, "the answer is seen no earlier than it was produced");
    const open = await maker.fetchOpenOrders(symbol);
    assert.deepEqual(open.map((x) => x.id), [o.id]);
    const f = await maker.fetchOrder(o.id, symbol);
    assert.equal(f.status, "open");
    assert.equal(f.remaining, g.A);
  });

  it("a crossing order from the other client trades at the maker's price; both sides see their fills and fees", async ({ maker, taker, symbol }, g) => {
    const m = g.market;
    const P = g.px(0);
    const watch = maker.watchMyTrades(symbol);
    const ask = await maker.createOrder(symbol, "limit", "sell", g.A, P);
    // The taker bids above the ask: the trade happens at the resting price.
    const hit = await taker.createOrder(symbol, "limit", "buy", g.A, g.px(5));
    assert.equal(hit.status, "closed");
    assert.equal(hit.filled, g.A);
    assert.equal(hit.remaining, 0);
    assert.equal(hit.average, P);
    near(hit.cost, P * g.A, "taker order cost");
    const cost = P * g.A;

    const watched = await watch;
    assert.equal(watched.length, 1, "watchMyTrades delivers the maker's fill");
    const check = (t: Trade, side: string, role: string, order: string, rate: number) => {
      assert.equal(t.symbol, symbol);
      assert.equal(t.side, side);
      assert.equal(t.takerOrMaker, role);
      assert.equal(t.order, order);
      assert.equal(t.price, P);
      assert.equal(t.amount, g.A);
      near(t.cost, cost, `${role} trade cost`);
      assert.ok(t.fee !== undefined, `${role} fee`);
      assert.equal(t.fee.currency, m.quote, `${role} fee currency`);
      // Fees are charged in the quote currency's smallest unit: allow one of them.
      near(t.fee.cost, cost * rate, `${role} fee cost`, 1e-6 + 1e-9 * cost);
    };
    check(watched[0], "sell", "maker", ask.id, m.maker);
    const mine = await maker.fetchMyTrades(symbol);
    assert.equal(mine.length, 1);
    check(mine[0], "sell", "maker", ask.id, m.maker);
    const theirs = await taker.fetchMyTrades(symbol);
    assert.equal(theirs.length, 1);
    check(theirs[0], "buy", "taker", hit.id, m.taker);
    assert.equal(theirs[0].id, mine[0].id, "both sides name the same trade");
    near(hit.fee.cost, theirs[0].fee!.cost, "taker order fee");

    const closed = await maker.fetchOrder(ask.id, symbol);
    assert.equal(closed.status, "closed");
    assert.equal(closed.filled, g.A);
    assert.equal(closed.remaining, 0);
    assert.deepEqual(await maker.fetchOpenOrders(symbol), []);
  });

  it("a market order takes the best prices first; on a thin book the rest expires", async ({ maker, taker, symbol }, g, h) => {
    const P = g.px(0);
    const P1 = g.px(1);
    const a1 = await maker.createOrder(symbol, "limit", "sell", g.A, P);
    const a2 = await maker.createOrder(symbol, "limit", "sell", g.A, P1);
    const m = await taker.createOrder(symbol, "market", "buy", g.times(2));
    assert.equal(m.type, "market");
    assert.equal(m.status, "closed");
    assert.equal(m.filled, g.times(2));
    near(m.average!, (P + P1) / 2, "average of the two levels");
    near(m.cost, (P + P1) * g.A, "market order cost");
    const fills = await taker.fetchMyTrades(symbol);
    assert.deepEqual(fills.map((t) => [t.price, t.amount, t.takerOrMaker]), [[P, g.A, "taker"], [P1, g.A, "taker"]]);
    assert.deepEqual(fills.map((t) => t.order), [m.id, m.id]);
    assert.deepEqual((await maker.fetchMyTrades(symbol)).map((t) => t.order), [a1.id, a2.id]);
    if (!h.isolated) return;
    await maker.createOrder(symbol, "limit", "sell", g.A, P);
    const thin = await taker.createOrder(symbol, "market", "buy", g.times(3));
    assert.equal(thin.status, "expired", "a market order does not rest");
    assert.equal(thin.filled, g.A);
    assert.deepEqual(await taker.fetchOpenOrders(symbol), []);
  });

  it("cancelOrder resolves canceled; a second cancel rejects OrderNotFound (order_closed)", async ({ maker, symbol }, g) => {
    const o = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-10));
    const c = await maker.cancelOrder(o.id, symbol);
    assert.equal(c.id, o.id);
    assert.equal(c.status, "canceled");
    assert.equal(c.filled, 0);
    await assert.rejects(maker.cancelOrder(o.id, symbol), refusal(OrderNotFound, "order_closed"));
    assert.deepEqual(await maker.fetchOpenOrders(symbol), []);
  });

  it("cancelOrder of an id never issued, or of another client's order, rejects OrderNotFound and leaves it open", async ({ maker, taker, symbol }, g) => {
    await assert.rejects(maker.cancelOrder("987654321", symbol), refusal(OrderNotFound, "unknown_order"));
    const o = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-10));
    await assert.rejects(taker.cancelOrder(o.id, symbol), (e) => e instanceof OrderNotFound);
    const f = await maker.fetchOrder(o.id, symbol);
    assert.equal(f.status, "open");
    assert.equal(f.remaining, g.A);
  });

  it("editOrder reducing the amount at the same price keeps time priority", async ({ maker, taker, symbol }, g) => {
    const P = g.px(0);
    const first = await maker.createOrder(symbol, "limit", "sell", g.times(2), P);
    const second = await maker.createOrder(symbol, "limit", "sell", g.times(2), P);
    const e = await maker.editOrder(first.id, symbol, "limit", "sell", g.A, P);
    assert.equal(e.id, first.id);
    assert.equal(e.status, "open");
    assert.equal(e.price, P);
    assert.equal(e.amount, g.A);
    assert.equal(e.remaining, g.A);
    await taker.createOrder(symbol, "limit", "buy", g.A, P);
    const fills = await maker.fetchMyTrades(symbol);
    assert.equal(fills.length, 1);
    assert.equal(fills[0].order, first.id, "the edited order is still first in the queue at its price");
    const open = await maker.fetchOpenOrders(symbol);
    assert.deepEqual(open.map((o) => [o.id, o.remaining]), [[second.id, g.times(2)]]);
  });

  it("fetchBalance: free + used = total, and a resting order moves funds from free to used", async ({ maker, symbol }, g) => {
    const { base, quote } = g.market;
    const cur = [base, quote];
    const b0 = await maker.fetchBalance();
    for (const c of cur) {
      const e = b0[c] as { free: number; used: number; total: number };
      assert.deepEqual([e.free, e.used, e.total], [b0.free[c], b0.used[c], b0.total[c]], `${c} entry matches the maps`);
      near(e.free + e.used, e.total, `${c} free + used`);
      assert.ok(e.free > 0, `${c} is funded`);
    }
    const sell = await maker.createOrder(symbol, "limit", "sell", g.A, g.px(10));
    const b1 = await maker.fetchBalance();
    near(b1.used[base], b0.used[base] + g.A, `${base} used by the sell`);
    near(b1.free[base], b0.free[base] - g.A, `${base} free after the sell`);
    near(b1.total[base], b0.total[base], `${base} total`);
    assert.deepEqual(numbers(b1, [quote]), numbers(b0, [quote]), "the sell reserves no quote");

    const bid = g.px(-10);
    const buy = await maker.createOrder(symbol, "limit", "buy", g.A, bid);
    const b2 = await maker.fetchBalance();
    const reserved = b2.used[quote] - b0.used[quote];
    const notional = bid * g.A;
    const maxFee = Math.max(g.market.maker, g.market.taker);
    assert.ok(reserved >= notional - 1e-9 && reserved <= notional * (1 + maxFee) + 1e-6, `${quote} reserved ${reserved} for notional ${notional}`);
    near(b2.free[quote] + b2.used[quote], b2.total[quote], `${quote} free + used`);
    near(b2.total[quote], b0.total[quote], `${quote} total`);

    await maker.cancelOrder(sell.id, symbol);
    await maker.cancelOrder(buy.id, symbol);
    const b3 = await maker.fetchBalance();
    assert.deepEqual(numbers(b3, cur), numbers(b0, cur), "canceling releases every reservation");
  });

  it("fetchOrderBook shows resting orders, best first, and honours limit", async ({ maker, taker, symbol }, g, h) => {
    const ask = g.px(10);
    const bid = g.px(-10);
    await maker.createOrder(symbol, "limit", "sell", g.A, ask);
    await maker.createOrder(symbol, "limit", "sell", g.A, g.px(11));
    await maker.createOrder(symbol, "limit", "buy", g.times(2), bid);
    const ob = await taker.fetchOrderBook(symbol);
    assert.equal(ob.symbol, symbol);
    assertSorted(ob);
    assert.ok((level(ob.asks, ask) ?? 0) >= g.A, `ask level ${ask} in ${JSON.stringify(ob.asks)}`);
    assert.ok((level(ob.bids, bid) ?? 0) >= g.times(2), `bid level ${bid} in ${JSON.stringify(ob.bids)}`);
    if (h.isolated) {
      assert.deepEqual(ob.asks, [[ask, g.A], [g.px(11), g.A]]);
      assert.deepEqual(ob.bids, [[bid, g.times(2)]]);
    }
    const top = await taker.fetchOrderBook(symbol, 1);
    assert.ok(top.asks.length <= 1 && top.bids.length <= 1, "limit 1 gives at most one level a side");
    if (h.isolated) assert.deepEqual(top.asks, [[ask, g.A]]);
  });

  it("watchOrderBook resolves with the book at its next change", async ({ maker, taker, symbol, sleep }, g, h) => {
    let seen = false;
    const watch = taker.watchOrderBook(symbol).then((b) => {
      seen = true;
      return b;
    });
    await sleep(50);
    if (h.isolated) assert.equal(seen, false, "no change yet: the watch is still pending");
    const ask = g.px(10);
    await maker.createOrder(symbol, "limit", "sell", g.A, ask);
    const ob = await watch;
    assert.equal(ob.symbol, symbol);
    assertSorted(ob);
    assert.ok((level(ob.asks, ask) ?? 0) >= g.A, `the new ask is in ${JSON.stringify(ob.asks)}`);
    // And the next call waits for the next change.
    const next = taker.watchOrderBook(symbol);
    await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-10));
    const ob2 = await next;
    assert.ok((level(ob2.bids, g.px(-10)) ?? 0) >= g.A, `the new bid is in ${JSON.stringify(ob2.bids)}`);
  });

  it("watchTrades delivers public trades with the taker's side", async ({ maker, taker, symbol, sleep }, g) => {
    const watch = maker.watchTrades(symbol);
    await sleep(50);
    const P = g.px(0);
    await maker.createOrder(symbol, "limit", "sell", g.A, P);
    await taker.createOrder(symbol, "limit", "buy", g.A, P);
    const trades = await watch;
    const t = trades.find((x) => x.price === P && x.amount === g.A);
    assert.ok(t !== undefined, `our trade in ${JSON.stringify(trades)}`);
    assert.equal(t.symbol, symbol);
    assert.equal(t.side, "buy");
    assert.equal(typeof t.id, "string");
    assert.equal(t.datetime, new Date(t.timestamp).toISOString());
  });

  it("watchOrders delivers own order changes", async ({ maker, symbol }, g) => {
    const watch = maker.watchOrders(symbol);
    const o = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-10));
    const changed = await watch;
    const mine = changed.find((x) => x.id === o.id);
    assert.ok(mine !== undefined, `order ${o.id} in ${JSON.stringify(changed.map((x) => x.id))}`);
    assert.equal(mine.status, "open");
    const next = maker.watchOrders(symbol);
    await maker.cancelOrder(o.id, symbol);
    const after = await next;
    assert.equal(after.find((x) => x.id === o.id)?.status, "canceled");
  });

  // ------------------------------------------------------------ bad input

  /** Runs `body`, then checks the client's balances and open orders are as before. */
  const unchanged = (title: string, body: (c: Clients, g: Grid, h: Harness) => Promise<void>) =>
    it(`${title}; balances and open orders are left as they were`, async (c, g, h) => {
      const cur = [g.market.base, g.market.quote];
      const before = numbers(await c.maker.fetchBalance(), cur);
      const openBefore = (await c.maker.fetchOpenOrders(c.symbol)).map((o) => [o.id, o.remaining]);
      await body(c, g, h);
      assert.deepEqual(numbers(await c.maker.fetchBalance(), cur), before);
      assert.deepEqual((await c.maker.fetchOpenOrders(c.symbol)).map((o) => [o.id, o.remaining]), openBefore);
    });

  unchanged("an off-tick price rejects InvalidOrder (tick_size) naming price and value", async ({ maker, symbol }, g) => {
    const bad = Number((g.px(0) + g.tick / 2).toPrecision(12));
    await assert.rejects(maker.createOrder(symbol, "limit", "buy", g.A, bad), refusal(InvalidOrder, "tick_size", "price", String(bad)));
  });

  unchanged("an off-lot amount rejects InvalidOrder (lot_size) naming amount and value", async ({ maker, symbol }, g) => {
    const bad = Number((g.A + g.lot / 2).toPrecision(12));
    await assert.rejects(maker.createOrder(symbol, "limit", "buy", bad, g.px(-10)), refusal(InvalidOrder, "lot_size", "amount", String(bad)));
  });

  unchanged("NaN, negative, zero or infinite amounts and prices reject InvalidOrder naming field and value", async ({ maker, symbol }, g) => {
    for (const bad of [NaN, -1, 0, Infinity, -Infinity]) {
      await assert.rejects(maker.createOrder(symbol, "limit", "buy", bad, g.px(-10)), refusal(InvalidOrder, "invalid_size", "amount", String(bad)));
      await assert.rejects(maker.createOrder(symbol, "market", "sell", bad), refusal(InvalidOrder, "invalid_size", "amount", String(bad)));
      await assert.rejects(maker.createOrder(symbol, "limit", "buy", g.A, bad), refusal(InvalidOrder, "invalid_price", "price", String(bad)));
    }
    await assert.rejects(maker.createOrder(symbol, "limit", "buy", g.A), refusal(InvalidOrder, "invalid_price", "price", "undefined"));
  });

  unchanged("editOrder to a bad price or amount rejects the same way and leaves the order as it was", async ({ maker, symbol }, g) => {
    const o = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-10));
    const offTick = Number((g.px(-10) + g.tick / 2).toPrecision(12));
    await assert.rejects(maker.editOrder(o.id, symbol, "limit", "buy", g.A, offTick), refusal(InvalidOrder, "tick_size", "price", String(offTick)));
    await assert.rejects(maker.editOrder(o.id, symbol, "limit", "buy", NaN, g.px(-10)), refusal(InvalidOrder, "invalid_size", "amount", "NaN"));
    const f = await maker.fetchOrder(o.id, symbol);
    assert.deepEqual([f.status, f.price, f.remaining], ["open", g.px(-10), g.A]);
    await maker.cancelOrder(o.id, symbol);
  });

  unchanged("an unknown symbol rejects BadRequest (unknown_symbol) naming symbol and value", async ({ maker, symbol }, g) => {
    const other = symbol === "ETH/USDT" ? "DOGE/USDT" : "ETH/USDT";
    const check = refusal(BadRequest, "unknown_symbol", "symbol", other);
    await assert.rejects(maker.createOrder(other, "limit", "buy", g.A, g.px(-10)), check);
    await assert.rejects(maker.fetchOrderBook(other), check);
    await assert.rejects(maker.cancelOrder("1", other), check);
    await assert.rejects(maker.watchTrades(other), check);
  });

  unchanged("an order beyond the free balance rejects InsufficientFunds", async ({ maker, symbol }, g) => {
    const b = await maker.fetchBalance();
    const P = g.px(0);
    const buyLots = Math.ceil(b.free[g.market.quote] / (P * g.lot)) + 1;
    await assert.rejects(maker.createOrder(symbol, "limit", "buy", g.amt(buyLots), P), refusal(InsufficientFunds, "insufficient_balance"));
    const sellLots = Math.round(b.free[g.market.base] / g.lot) + 1;
    await assert.rejects(maker.createOrder(symbol, "limit", "sell", g.amt(sellLots), P), refusal(InsufficientFunds, "insufficient_balance"));
  });

  unchanged("a post-only order that would cross rejects InvalidOrder (post_only_would_cross); the book is untouched", async ({ maker, taker, symbol }, g) => {
    const P = g.px(0);
    const ask = await taker.createOrder(symbol, "limit", "sell", g.A, P);
    await assert.rejects(maker.createOrder(symbol, "limit", "buy", g.A, P, { postOnly: true }), refusal(InvalidOrder, "post_only_would_cross", String(P)));
    await assert.rejects(maker.createOrder(symbol, "limit", "buy", g.A, g.px(3), { timeInForce: "PO" }), refusal(InvalidOrder, "post_only_would_cross"));
    const f = await taker.fetchOrder(ask.id, symbol);
    assert.deepEqual([f.status, f.remaining], ["open", g.A]);
    assert.deepEqual(await maker.fetchMyTrades(symbol), []);
    // Below the ask, post-only rests.
    const po = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-1), { postOnly: true });
    assert.deepEqual([po.status, po.postOnly], ["open", true]);
    await maker.cancelOrder(po.id, symbol);
  });

  unchanged("a clientOrderId already used by an open order rejects InvalidOrder naming it; once closed it is free again", async ({ maker, symbol }, g) => {
    const o = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-10), { clientOrderId: "dup-1" });
    assert.equal(o.clientOrderId, "dup-1");
    await assert.rejects(
      maker.createOrder(symbol, "limit", "buy", g.A, g.px(-11), { clientOrderId: "dup-1" }),
      refusal(InvalidOrder, "duplicate_client_order_id", "clientOrderId", "dup-1"),
    );
    await maker.cancelOrder(o.id, symbol);
    const again = await maker.createOrder(symbol, "limit", "buy", g.A, g.px(-11), { clientOrderId: "dup-1" });
    assert.equal(again.clientOrderId, "dup-1");
    assert.notEqual(again.id, o.id);
    await maker.cancelOrder(again.id, symbol);
  });

  for (const k of na.keys()) if (!used.has(k)) throw new Error(`exchangeConformance(${name}): notApplicable ${JSON.stringify(k)} matches no check`);
}
