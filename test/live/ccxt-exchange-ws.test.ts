// CcxtExchange with streams "ws": ccxt pro's watch* deliver the served crowd's book (synced from a REST snapshot, then diffs), its trades, and our orders and fills, over WebSockets on loopback only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CcxtExchange } from "../../live/ccxt-exchange.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import type { OrderBook } from "../../market/exchange.ts";
import { connect } from "./ccxt-exchange-harness.ts";
import { guardLoopback, type LoopbackGuard } from "./loopback-guard.ts";
import { ALICE, serve } from "./serve-fixture.ts";

const SYM = "BTC/USDT";

/** Rejects when `p` takes longer than `ms` of wall time. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

describe("CcxtExchange, streams ws, on arena serve with its crowd", () => {
  let guard: LoopbackGuard;
  let s: RunningServer;
  let x: CcxtExchange;
  /** Every REST request ccxt made, as "METHOD /path". */
  const rest: string[] = [];
  const count = (path: string) => rest.filter((r) => r.endsWith(` /api/v3/${path}`)).length;
  before(async () => {
    guard = guardLoopback();
    s = await serve({ speed: 60 });
    x = await connect(s, ALICE, { clientOrderIdPrefix: "ws" }, "ws");
    const real = x.client.fetch.bind(x.client);
    x.client.fetch = (url: string, method = "GET", ...rest2: unknown[]) => {
      rest.push(`${method} ${new URL(url).pathname}`);
      return real(url, method, ...rest2);
    };
  });
  after(async () => {
    await x.close();
    await s.close();
    guard.stop();
  });

  it("watchOrderBook: one REST snapshot, then the diffs; every book two-sided, uncrossed, its update id rising; equal to REST depth at the same id", async () => {
    let prev: OrderBook | undefined;
    for (let i = 0; i < 15; i++) {
      const b = await within(x.watchOrderBook(SYM), 5000, "watchOrderBook");
      if (b.bids.length === 0 || b.asks.length === 0) continue;
      assert.ok(b.bids[0][0] < b.asks[0][0], `bid ${b.bids[0][0]} < ask ${b.asks[0][0]}`);
      if (prev !== undefined) assert.ok(b.nonce > prev.nonce, `update id ${b.nonce} after ${prev.nonce}`);
      prev = b;
    }
    assert.ok(prev !== undefined, "the watched book stayed one-sided");
    assert.equal(count("depth"), 1, "the book follows the stream's diffs after one snapshot, it is not polled");
    // The diffs replayed on the snapshot give exactly the venue's book: compare with REST depth at the same update id.
    for (let tries = 0; tries < 20; tries++) {
      const w = await within(x.watchOrderBook(SYM, 20), 5000, "watchOrderBook");
      const r = await x.fetchOrderBook(SYM, 20);
      if (r.nonce !== w.nonce) continue; // the book moved in between: try again
      assert.deepEqual([r.bids, r.asks], [w.bids, w.asks]);
      return;
    }
    assert.fail("REST depth never stood at the stream's update id");
  });

  it("watchTrades: the crowd's trades, each delivered once, without polling aggTrades", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const trades = await within(x.watchTrades(SYM), 10_000, "watchTrades");
      assert.ok(trades.length > 0);
      for (const t of trades) {
        assert.ok(!seen.has(t.id), `trade ${t.id} delivered twice`);
        seen.add(t.id);
        assert.equal(t.symbol, SYM);
        assert.ok(t.price > 0 && t.amount > 0 && (t.side === "buy" || t.side === "sell"));
        assert.equal(t.datetime, new Date(t.timestamp).toISOString());
      }
    }
    assert.equal(count("aggTrades"), 0);
  });

  it("watchOrders: our resting order's NEW and CANCELED through the user data stream, without polling open orders", async () => {
    const book = await x.fetchOrderBook(SYM, 5);
    const price = Math.floor(book.bids[0][0] * 0.9);
    const first = x.watchOrders(SYM);
    const o = await x.createOrder(SYM, "limit", "buy", 0.01, price);
    const opened = await collect(() => x.watchOrders(SYM), first, (l) => l.some((v) => v.id === o.id && v.status === "open"));
    const mine = opened.find((v) => v.id === o.id)!;
    assert.deepEqual([mine.clientOrderId, mine.price, mine.amount, mine.side], [o.clientOrderId, price, 0.01, "buy"]);
    const next = x.watchOrders(SYM);
    await x.cancelOrder(o.id, SYM);
    await collect(() => x.watchOrders(SYM), next, (l) => l.some((v) => v.id === o.id && v.status === "canceled"));
    assert.equal(count("openOrders"), 0);
  });

  it("watchMyTrades: a market buy's fills against the crowd, as the REST answer and myTrades report them", async () => {
    const first = x.watchMyTrades(SYM);
    const m = await x.createOrder(SYM, "market", "buy", 0.01);
    assert.equal(m.status, "closed");
    const fills = await collect(() => x.watchMyTrades(SYM), first, (l) => Math.abs(l.filter((t) => t.order === m.id).reduce((a, t) => a + t.amount, 0) - m.filled) < 1e-9);
    const ours = fills.filter((t) => t.order === m.id);
    for (const t of ours) assert.deepEqual([t.side, t.takerOrMaker, t.fee?.currency], ["buy", "taker", "USDT"]);
    const restTrades = (await x.fetchMyTrades(SYM)).filter((t) => t.order === m.id);
    // Fills of one order share a timestamp, so neither list's order among them means anything: compare by id.
    const rows = (l: typeof ours) => l.map((t) => [t.id, t.price, t.amount]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(rows(ours), rows(restTrades));
  });

  it("a watch called just before an order sees it, even when the venue confirms the user stream late: the order waits for the subscription", async () => {
    const y = await connect(s, ALICE, { clientOrderIdPrefix: "late" }, "ws");
    try {
      // Delays the WS-API subscription by three of the venue's 100 ms feed batches.
      const auth = y.client.authenticate.bind(y.client);
      y.client.authenticate = async (...a: unknown[]) => {
        await new Promise((r) => setTimeout(r, 300));
        return auth(...a);
      };
      const book = await y.fetchOrderBook(SYM, 5);
      const watch = y.watchOrders(SYM);
      const o = await y.createOrder(SYM, "limit", "buy", 0.01, Math.floor(book.bids[0][0] * 0.9));
      const got = await within(watch, 3000, "watchOrders");
      assert.ok(got.some((v) => v.id === o.id && v.status === "open"), `order ${o.id} in ${JSON.stringify(got.map((v) => v.id))}`);
      await y.cancelOrder(o.id, SYM);
    } finally {
      await y.close();
    }
  });

  it("nothing left loopback: every connection the process opened (REST and WebSocket) went to the served port", () => {
    assert.ok(guard.attempts.length >= 3, `connections seen: ${guard.attempts.join(", ")}`);
    assert.deepEqual(guard.offLoopback([s.port]), []);
    const ws = Object.keys(x.client.clients as Record<string, unknown>);
    assert.ok(ws.length >= 2, `market stream and WS-API connections: ${ws.join(", ")}`);
    for (const u of ws) assert.equal(new URL(u).host, `127.0.0.1:${s.port}`);
  });
});

/** Awaits watch batches (starting with `first`) until `done` holds for all that arrived. */
async function collect<T>(again: () => Promise<T[]>, first: Promise<T[]>, done: (l: T[]) => boolean): Promise<T[]> {
  const all: T[] = [];
  let p = first;
  for (let i = 0; i < 50; i++) {
    all.push(...(await within(p, 5000, "watch")));
    if (done(all)) return all;
    p = again();
  }
  throw new Error(`the expected update did not arrive in ${all.length} items`);
}
