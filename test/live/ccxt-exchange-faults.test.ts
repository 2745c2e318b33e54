// CcxtExchange against arena serve's injected faults: for each one, no duplicate order, the client's view reconciles with the venue, and it carries on or fails naming why.
import assert from "node:assert/strict";
import ccxt from "ccxt";
import { after, afterEach, before, describe, it } from "node:test";
import type { CcxtExchange } from "../../live/ccxt-exchange.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { ExchangeError, type Order } from "../../market/exchange.ts";
import { client } from "./serve-fixture.ts";
import { connect, MAKER, serveIsolated, TAKER } from "./ccxt-exchange-harness.ts";
import { assertClean, injected, reconcile, setFaults } from "./fault-invariants.ts";

const SYM = "BTC/USDT";
/** The client gives up on an answer after this long; held answers come later than it. */
const CLIENT_TIMEOUT_MS = 700;
const HOLD_MS = 1_500;

describe("CcxtExchange under arena serve's faults", () => {
  let s: RunningServer;
  const open: CcxtExchange[] = [];
  let session = 0;
  before(async () => {
    s = await serveIsolated();
  });
  after(async () => {
    await s.close();
  });
  afterEach(async () => {
    await setFaults(s, null);
    for (const x of open.splice(0)) {
      for (const o of await x.fetchOpenOrders(SYM)) await x.cancelOrder(o.id, SYM);
      await x.close();
    }
  });

  async function session_(account = MAKER): Promise<{ x: CcxtExchange; prefix: string }> {
    const prefix = `f${++session}`;
    const x = await connect(s, account, { clientOrderIdPrefix: prefix, timeoutMs: CLIENT_TIMEOUT_MS, retry: { retries: 4, baseDelayMs: 20, maxDelayMs: 200 } });
    open.push(x);
    return { x, prefix };
  }

  /** Places `n` resting buys far below the market, one after another. */
  async function placeResting(x: CcxtExchange, n: number): Promise<Order[]> {
    const out: Order[] = [];
    for (let i = 0; i < n; i++) out.push(await x.createOrder(SYM, "limit", "buy", 0.001, 20_000 + i));
    return out;
  }

  for (const mode of ["reset", "5xx", "late"] as const) {
    it(`lost acknowledgement (${mode}): the order exists, its answer is lost; found by client order id, never sent twice`, async () => {
      const { x, prefix } = await session_();
      await setFaults(s, { seed: 1, lostAck: { at: [1, 3], mode, ms: HOLD_MS } });
      const placed = await placeResting(x, 4);
      assert.equal((await injected(s)).lostAck, 2);
      assert.deepEqual(placed.map((o) => o.status), ["open", "open", "open", "open"]);
      assertClean(await reconcile(s, MAKER, x, prefix, placed), 4);
    });
  }

  it("timeout: the request never reaches the venue and no answer comes; looked up, then sent once", async () => {
    const { x, prefix } = await session_();
    await setFaults(s, { timeout: { at: [1, 2], ms: HOLD_MS, endpoints: ["POST order"] } });
    const placed = await placeResting(x, 2);
    assert.equal((await injected(s)).timeout, 2);
    assertClean(await reconcile(s, MAKER, x, prefix, placed), 2);
  });

  it("429: Retry-After is honoured before the next try, and the order goes through once", async () => {
    const { x, prefix } = await session_();
    await setFaults(s, { rateLimit: { at: [1], retryAfterS: 1, endpoints: ["POST order"] } });
    const t0 = performance.now();
    const placed = await placeResting(x, 1);
    assert.ok(performance.now() - t0 >= 950, `waited the 1 s Retry-After asked for (took ${Math.round(performance.now() - t0)} ms)`);
    assert.equal((await injected(s)).rateLimit, 1);
    assertClean(await reconcile(s, MAKER, x, prefix, placed), 1);
  });

  it("418: the ban lasts its Retry-After; the client waits it out instead of hammering, then carries on", async () => {
    const { x, prefix } = await session_();
    await setFaults(s, { ban: { at: [1], retryAfterS: 1, endpoints: ["POST order"] } });
    const placed = await placeResting(x, 2);
    const n = await injected(s);
    assert.ok(n.ban >= 1 && n.ban <= 3, `the banned client retried after the ban, not within it (${n.ban} refusals)`);
    assertClean(await reconcile(s, MAKER, x, prefix, placed), 2);
  });

  it("5xx before processing: retried (the status is unknown), looked up by client order id, sent once", async () => {
    const { x, prefix } = await session_();
    await setFaults(s, { serverError: { at: [1, 2], status: 503, endpoints: ["POST order"] } });
    const placed = await placeResting(x, 3);
    assert.equal((await injected(s)).serverError, 2);
    assertClean(await reconcile(s, MAKER, x, prefix, placed), 3);
  });

  it("partial fill: an order the book would fill in full fills in part, rests, and fills the rest later; fills reconcile", async () => {
    const maker = await session_(MAKER);
    const taker = await session_(TAKER);
    const asks = [await maker.x.createOrder(SYM, "limit", "sell", 0.01, 30_000), await maker.x.createOrder(SYM, "limit", "sell", 0.01, 30_001)];
    await setFaults(s, { partialFill: { at: [1], fraction: 0.25 } });
    const buy = await taker.x.createOrder(SYM, "limit", "buy", 0.008, 30_001);
    assert.equal((await injected(s)).partialFill, 1);
    assert.equal(buy.status, "open", "the rest rests on the book");
    assert.ok(buy.filled > 0 && buy.filled < 0.008, `filled in part: ${buy.filled} of 0.008`);
    await setFaults(s, null);
    asks.push(await maker.x.createOrder(SYM, "limit", "sell", 0.01, 30_001));
    const done = await taker.x.fetchOrder(buy.id, SYM);
    assert.deepEqual([done.status, done.filled], ["closed", 0.008], "the rest filled later");
    assertClean(await reconcile(s, TAKER, taker.x, taker.prefix, [buy]), 1);
    assertClean(await reconcile(s, MAKER, maker.x, maker.prefix, asks), 3);
  });

  it("a venue that keeps failing: the client stops with a reason naming the call and the cause", async () => {
    const { x } = await session_();
    await setFaults(s, { serverError: { rate: 1, endpoints: ["GET depth"] } });
    await assert.rejects(x.fetchOrderBook(SYM), (e) => {
      assert.ok(e instanceof ExchangeError);
      assert.equal(e.reason, "venue_unavailable");
      assert.match(e.message, /fetchOrderBook BTC\/USDT: .*unknown error/i);
      return true;
    });
    assert.equal((await injected(s)).serverError, 5, "the first try and 4 retries");
    await setFaults(s, { rateLimit: { rate: 1, retryAfterS: 600 } });
    await assert.rejects(x.fetchOrderBook(SYM), (e) => e instanceof ExchangeError && e.reason === "rate_limited", "a wait over the limit is reported, not slept");
  });

  it("raw ccxt under a lost acknowledgement throws a network error and leaves the order on the venue: why CcxtExchange looks it up", async () => {
    const c = client(s.url, MAKER);
    c.ex.timeout = CLIENT_TIMEOUT_MS;
    await c.ex.loadMarkets();
    await setFaults(s, { lostAck: { at: [1], mode: "reset" } });
    await assert.rejects(c.ex.createOrder(SYM, "limit", "buy", 0.001, 20_000, { clientOrderId: "raw-lost-1" }), (e) => e instanceof ccxt.NetworkError);
    await setFaults(s, null);
    const o = await c.ex.fetchOrder(undefined as unknown as string, SYM, { clientOrderId: "raw-lost-1" });
    assert.equal(o.status, "open");
    await c.ex.cancelOrder(o.id!, SYM);
  });
});
