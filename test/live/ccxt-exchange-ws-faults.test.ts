// CcxtExchange's WebSocket streams under arena serve's stream faults: dropped connections, delayed and out-of-order messages; the streams resume and the books agree with REST.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createCcxtExchange, type CcxtExchange } from "../../live/ccxt-exchange.ts";
import type { Order } from "../../market/exchange.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { ALICE, serve } from "./serve-fixture.ts";
import { assertClean, injected, reconcile, setFaults } from "./fault-invariants.ts";

const SYM = "BTC/USDT";

/** Rejects when `p` takes longer than `ms` of wall time. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/** CcxtExchange in ws mode on the served venue. */
async function wsExchange(s: RunningServer, prefix: string): Promise<CcxtExchange> {
  const x = await createCcxtExchange({
    id: "binance", symbol: SYM, apiKey: ALICE.key, secret: ALICE.secret,
    urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3`, ws: s.ws.spot, wsApi: s.ws["ws-api"].spot },
    options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } },
    streams: "ws", rateLimitMs: 2, timeoutMs: 3_000, clientOrderIdPrefix: prefix,
    retry: { retries: 6, baseDelayMs: 50, maxDelayMs: 400 },
  });
  await x.client.loadHttpProxyAgent();
  return x;
}

/** Watches orders until one with `id` shows up (each wait bounded). */
async function watchFor(x: CcxtExchange, id: string, first?: Promise<Order[]>): Promise<void> {
  let p = first ?? x.watchOrders(SYM);
  for (let i = 0; i < 20; i++) {
    if ((await within(p, 3000, `watchOrders for order ${id}`)).some((u) => u.id === id)) return;
    p = x.watchOrders(SYM);
  }
  assert.fail(`order ${id} never reached watchOrders`);
}

describe("CcxtExchange (streams: ws) under dropped connections and delayed, reordered messages", () => {
  let s: RunningServer;
  before(async () => {
    s = await serve({ speed: 60 });
  });
  after(async () => {
    await s.close();
  });

  it("the watched book stays uncrossed, resyncs after every fault and ends equal to REST's top of book", async () => {
    const x = await wsExchange(s, "wsbook");
    try {
      await setFaults(s, { seed: 3, wsDrop: { at: [15, 40] }, streamDelay: { rate: 0.03, ms: 250 }, streamReorder: { rate: 0.03 } });
      let book = await x.watchOrderBook(SYM);
      for (let i = 0; i < 40; i++) {
        book = await x.watchOrderBook(SYM);
        if (book.bids.length > 0 && book.asks.length > 0) assert.ok(book.bids[0][0] < book.asks[0][0], `uncrossed at update ${i}`);
      }
      const n = await injected(s);
      assert.equal(n.wsDrop, 2, "both drops happened");
      assert.ok(n.streamDelay + n.streamReorder > 0, JSON.stringify(n));
      await setFaults(s, null);
      // Faults off: the book the stream holds converges on REST's within a few updates.
      let agree = false;
      for (let i = 0; i < 40 && !agree; i++) {
        const w = await x.watchOrderBook(SYM);
        const r = await x.fetchOrderBook(SYM, 5);
        agree = w.bids[0]?.[0] === r.bids[0]?.[0] && w.asks[0]?.[0] === r.asks[0]?.[0];
      }
      assert.ok(agree, "the stream's top of book equals REST's");
    } finally {
      await x.close();
    }
  });

  it("a drop that takes the user data subscription's answer is retried without crashing the process (ccxt's unawaited futures are handled)", async () => {
    const x = await wsExchange(s, "wssub");
    try {
      // The venue's first WebSocket message from now is the answer to our subscription.
      await setFaults(s, { wsDrop: { at: [1] } });
      const first = x.watchOrders(SYM);
      for (let i = 0; i < 40 && (await injected(s)).wsDrop < 1; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal((await injected(s)).wsDrop, 1);
      await setFaults(s, null);
      await new Promise((r) => setTimeout(r, 500));
      const o = await x.createOrder(SYM, "limit", "buy", 0.001, Math.round((await x.fetchOrderBook(SYM, 5)).bids[0][0] * 0.8));
      await watchFor(x, o.id, first);
      await x.cancelOrder(o.id, SYM);
    } finally {
      await x.close();
    }
  });

  it("the user data stream resumes after its connection drops: an update lost with it is found over REST, later ones are watched; nothing doubled", async () => {
    const x = await wsExchange(s, "wsuser");
    try {
      const far = Math.round((await x.fetchOrderBook(SYM, 5)).bids[0][0] * 0.8);
      // Subscribed before the order, so its NEW event has a listener.
      const first = x.watchOrders(SYM);
      await new Promise((r) => setTimeout(r, 300));
      // The only WebSocket of this venue now is our user data stream: its next message (order a's NEW) drops it.
      await setFaults(s, { seed: 4, wsDrop: { at: [1] } });
      const a = await x.createOrder(SYM, "limit", "buy", 0.001, far);
      for (let i = 0; i < 50 && (await injected(s)).wsDrop === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal((await injected(s)).wsDrop, 1, "the connection was dropped");
      await setFaults(s, null);
      assert.ok((await x.fetchOpenOrders(SYM)).some((o) => o.id === a.id), "the order whose update was lost is found over REST");
      // The pending watch was retried on a new connection: the next order's update reaches it.
      await new Promise((r) => setTimeout(r, 500));
      const b = await x.createOrder(SYM, "limit", "buy", 0.001, far + 1);
      await watchFor(x, b.id, first);
      assertClean(await reconcile(s, ALICE, x, "wsuser", [a, b]), 2);
    } finally {
      await x.close();
    }
  });
});
