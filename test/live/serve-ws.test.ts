// arena serve, WebSocket: unmodified ccxt pro watches the served book, the crowd's trades and its own orders, on loopback only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { proClient, serve, type ProClient } from "./serve-fixture.ts";

const SYM = "BTC/USDT";

/** Rejects when `p` takes longer than `ms` of wall time. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

describe("arena serve: WebSocket streams through ccxt pro", () => {
  let s: RunningServer;
  let c: ProClient;
  before(async () => {
    s = await serve({ speed: 60 });
    c = await proClient(s);
    await c.ex.loadMarkets();
  });
  after(async () => {
    await c.ex.close();
    await s.close();
    const hosts = [...c.urls, ...Object.keys(c.ex.clients)].map((u) => new URL(u).hostname);
    assert.deepEqual([...new Set(hosts)], ["127.0.0.1"], "no request left loopback");
  });

  it("watchOrderBook syncs with the REST snapshot and follows the diffs: a two-sided, uncrossed book that matches REST depth", async () => {
    let book = await within(c.ex.watchOrderBook(SYM), 5000, "watchOrderBook");
    // The sync is checked by ccxt itself: a gap in U/u would reject with ChecksumError.
    for (let i = 0; i < 10 || book.bids.length === 0 || book.asks.length === 0; i++) {
      book = await within(c.ex.watchOrderBook(SYM), 5000, "watchOrderBook");
      assert.ok(i < 100, "the watched book stayed one-sided");
    }
    assert.ok(book.bids[0][0]! < book.asks[0][0]!, `bid ${book.bids[0][0]} < ask ${book.asks[0][0]}`);
    assert.ok(typeof book.nonce === "number" && book.nonce > 0);
    // The served clock runs on, so compare with REST taken in between two watched updates.
    const rest = await c.ex.fetchOrderBook(SYM, 1000);
    const next = await within(c.ex.watchOrderBook(SYM), 5000, "watchOrderBook");
    const restBid = rest.bids[0][0]!;
    const restAsk = rest.asks[0][0]!;
    assert.ok(rest.nonce! <= next.nonce!, `REST id ${rest.nonce} not after the stream's ${next.nonce}`);
    const near = (a: number, b: number) => Math.abs(a - b) / b < 0.01;
    assert.ok(near(next.bids[0][0]!, restBid) && near(next.asks[0][0]!, restAsk), `stream ${next.bids[0][0]}/${next.asks[0][0]} vs REST ${restBid}/${restAsk}`);
  });

  it("the stream's book equals REST depth at the same update id (exact replay of the diffs)", async () => {
    // Take a REST snapshot, then watch until the stream's id passes it; then replay: the book
    // REST returns for the stream's id must equal the stream's book level by level.
    for (let tries = 0; tries < 20; tries++) {
      const w = await within(c.ex.watchOrderBook(SYM), 5000, "watchOrderBook");
      const id = w.nonce!;
      const bids = Array.from(w.bids.slice(0, 20), (l) => [l[0], l[1]]);
      const asks = Array.from(w.asks.slice(0, 20), (l) => [l[0], l[1]]);
      const rest = await c.ex.fetchOrderBook(SYM, 20);
      if (rest.nonce !== id) continue; // the book moved in between: try again
      assert.ok(bids.length > 0 && asks.length > 0);
      assert.deepEqual(Array.from(rest.bids, (l) => [l[0], l[1]]), bids);
      assert.deepEqual(Array.from(rest.asks, (l) => [l[0], l[1]]), asks);
      return;
    }
    assert.fail("REST depth never stood at the stream's update id");
  });

  it("watchTrades yields the simulated crowd's trades", async () => {
    const trades = await within(c.ex.watchTrades(SYM), 10_000, "watchTrades");
    assert.ok(trades.length > 0);
    for (const t of trades) {
      assert.equal(t.symbol, SYM);
      assert.ok(t.price! > 0 && t.amount! > 0 && (t.side === "buy" || t.side === "sell"));
      assert.ok(typeof t.id === "string" && t.timestamp! > 0);
    }
  });

  it("watchOrders yields our order's NEW, then CANCELED after cancelOrder, and a fill when crossing", async () => {
    const first = c.ex.watchOrders(SYM); // subscribes through the WS-API (userDataStream.subscribe.signature)
    await new Promise((r) => setTimeout(r, 300));
    const book = await c.ex.fetchOrderBook(SYM, 5);
    const price = Math.floor(book.bids[0][0]! * 0.9);
    const o = await c.ex.createOrder(SYM, "limit", "buy", 0.01, price, { clientOrderId: "ws-1" });
    const seen = await collect(c, first, (l) => l.some((x) => x.id === o.id && x.status === "open"));
    const mine = seen.find((x) => x.id === o.id)!;
    assert.equal(mine.clientOrderId, "ws-1");
    assert.equal(mine.price, price);
    assert.equal(mine.amount, 0.01);
    await c.ex.cancelOrder(o.id!, SYM);
    const ended = await collect(c, c.ex.watchOrders(SYM), (l) => l.some((x) => x.id === o.id && x.status === "canceled"));
    assert.ok(ended.some((x) => x.id === o.id && x.status === "canceled"));
    // Crossing: a market buy fills against the crowd.
    const m = await c.ex.createOrder(SYM, "market", "buy", 0, undefined, { quoteOrderQty: 500 });
    const filled = await collect(c, c.ex.watchOrders(SYM), (l) => l.some((x) => x.id === m.id && x.status === "closed"));
    const f = filled.filter((x) => x.id === m.id).at(-1)!;
    assert.equal(f.status, "closed");
    assert.ok(Math.abs(f.filled! - m.filled!) < 1e-9, `stream filled ${f.filled} vs REST ${m.filled}`);
    assert.ok(f.trades === undefined || f.trades.length >= 0);
  });
});

type Orders = Awaited<ReturnType<ProClient["ex"]["watchOrders"]>>;

/** Awaits watchOrders batches (starting with `first`) until `done` holds for what arrived. */
async function collect(c: ProClient, first: Promise<Orders>, done: (l: Orders) => boolean): Promise<Orders> {
  const all: Orders = [];
  let p = first;
  for (let i = 0; i < 50; i++) {
    all.push(...(await within(p, 5000, "watchOrders")));
    if (done(all)) return all;
    p = c.ex.watchOrders(SYM);
  }
  throw new Error(`watchOrders: the expected update did not arrive in ${all.length} orders`);
}
