// CcxtExchange against arena serve: a lost order acknowledgement is resolved by client order id (never a duplicate), only network errors are retried, keys never reach a message.
import assert from "node:assert/strict";
import ccxt from "ccxt";
import { after, before, beforeEach, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import type { CcxtExchange } from "../../live/ccxt-exchange.ts";
import { parseOptions } from "../../live/ccxt-exchange-options.ts";
import { ExchangeError, InsufficientFunds } from "../../market/exchange.ts";
import { PORT_METHODS } from "../market/exchange-conformance.ts";
import { connect, MAKER, serveIsolated } from "./ccxt-exchange-harness.ts";

const SYM = "BTC/USDT";

type Fetch = (url: string, method?: string, headers?: unknown, body?: unknown) => Promise<unknown>;

/** Wraps ccxt's transport: `fault(n, url, method)` decides per request (n counts POST /order) what fails. */
function inject(x: CcxtExchange, fault: (method: string, url: string) => "before" | "after" | "secret" | undefined): { sent: string[] } {
  const sent: string[] = [];
  const real: Fetch = x.client.fetch.bind(x.client);
  x.client.fetch = async (url: string, method = "GET", headers?: unknown, body?: unknown) => {
    const f = fault(method, url);
    if (f === "before") throw new ccxt.RequestTimeout(`binance ${method} ${url} timed out (injected, never sent)`);
    if (f === "secret") throw new ccxt.ExchangeNotAvailable(`binance unreachable; key ${MAKER.key} secret ${MAKER.secret}`);
    sent.push(`${method} ${new URL(url).pathname}`);
    const out = await real(url, method, headers, body);
    if (f === "after") throw new ccxt.RequestTimeout(`binance ${method} ${url} timed out (injected, the venue got it)`);
    return out;
  };
  return { sent };
}

describe("CcxtExchange on arena serve", () => {
  let s: RunningServer;
  let x: CcxtExchange;
  let prefix = "";
  let session = 0;
  before(async () => {
    s = await serveIsolated();
  });
  after(async () => {
    await s.close();
  });
  beforeEach(async () => {
    await x?.close();
    prefix = `s${++session}`;
    x = await connect(s, MAKER, { clientOrderIdPrefix: prefix });
    for (const o of await x.fetchOpenOrders(SYM)) await x.cancelOrder(o.id, SYM);
  });

  it("offers every method of the port but editOrder, which the served venue does not allow", () => {
    for (const m of PORT_METHODS) {
      assert.equal(typeof x[m], "function", m);
      assert.equal(x.has[m], m !== "editOrder", `has.${m}`);
    }
  });

  it("markets carry the venue's tick, lot, minimum notional and the account's fee rates", () => {
    const m = x.markets[SYM];
    assert.deepEqual([m.base, m.quote], ["BTC", "USDT"]);
    assert.ok(m.precision.price > 0 && m.precision.amount > 0 && m.limits.cost.min > 0);
    const inst = s.venue.kernel.venue.instrument;
    assert.equal(m.maker, inst.makerFeePpm / 1e6);
    assert.equal(m.taker, inst.takerFeePpm / 1e6);
  });

  it("every order carries a client order id: the session prefix and a counter, within Binance's rule", async () => {
    const a = await x.createOrder(SYM, "limit", "buy", 0.001, 20_000);
    const b = await x.createOrder(SYM, "limit", "buy", 0.001, 20_000);
    assert.ok(a.clientOrderId !== undefined && b.clientOrderId !== undefined);
    assert.notEqual(a.clientOrderId, b.clientOrderId);
    for (const o of [a, b]) assert.match(o.clientOrderId!, /^[A-Za-z0-9_-]{1,36}$/);
    assert.deepEqual([a.clientOrderId, b.clientOrderId], [`${prefix}-1`, `${prefix}-2`], "the session prefix and a counter");
    const venueIds = (await x.fetchOpenOrders(SYM)).map((o) => o.clientOrderId);
    assert.deepEqual(venueIds, [`${prefix}-1`, `${prefix}-2`], "the venue holds the ids we sent");
  });

  it("lost acknowledgement: the venue got the order, the answer was lost; it is found by client order id and not re-sent", async () => {
    let posts = 0;
    const t = inject(x, (method, url) => (method === "POST" && url.includes("/order") && ++posts === 1 ? "after" : undefined));
    const o = await x.createOrder(SYM, "limit", "buy", 0.001, 20_000, { clientOrderId: "lost-ack-1" });
    assert.equal(o.clientOrderId, "lost-ack-1");
    assert.equal(o.status, "open");
    assert.deepEqual(t.sent, ["POST /api/v3/order", "GET /api/v3/order"], "one send, then a lookup by client order id");
    const open = await x.fetchOpenOrders(SYM);
    assert.deepEqual(open.map((r) => r.clientOrderId), ["lost-ack-1"], "exactly one order exists on the venue");
    assert.equal(open[0].id, o.id);
  });

  it("lost request: the venue never got the order; the lookup finds nothing and it is sent again, once", async () => {
    let posts = 0;
    const t = inject(x, (method, url) => (method === "POST" && url.includes("/order") && ++posts === 1 ? "before" : undefined));
    const o = await x.createOrder(SYM, "limit", "buy", 0.001, 20_000, { clientOrderId: "lost-req-1" });
    assert.deepEqual(t.sent, ["GET /api/v3/order", "POST /api/v3/order"]);
    const open = await x.fetchOpenOrders(SYM);
    assert.deepEqual(open.map((r) => [r.id, r.clientOrderId]), [[o.id, "lost-req-1"]]);
  });

  it("lost cancel answer: the retry finds the order already canceled and resolves with it", async () => {
    const o = await x.createOrder(SYM, "limit", "buy", 0.001, 20_000);
    let deletes = 0;
    const t = inject(x, (method) => (method === "DELETE" && ++deletes === 1 ? "after" : undefined));
    const c = await x.cancelOrder(o.id, SYM);
    assert.deepEqual([c.id, c.status], [o.id, "canceled"]);
    assert.deepEqual(t.sent, ["DELETE /api/v3/order", "DELETE /api/v3/order", "GET /api/v3/order"]);
    assert.deepEqual(await x.fetchOpenOrders(SYM), []);
  });

  it("a venue refusal is never retried", async () => {
    const t = inject(x, () => undefined);
    await assert.rejects(x.createOrder(SYM, "limit", "buy", 100, 20_000), (e) => e instanceof InsufficientFunds && e.reason === "insufficient_balance");
    assert.deepEqual(t.sent, ["POST /api/v3/order"]);
  });

  it("network errors are retried with backoff up to the limit, then reject with reason network; keys never appear", async () => {
    let calls = 0;
    inject(x, (method, url) => (url.includes("/depth") ? (calls++, "secret") : undefined));
    const t0 = performance.now();
    await assert.rejects(x.fetchOrderBook(SYM), (e) => {
      assert.ok(e instanceof ExchangeError);
      assert.equal(e.reason, "network");
      assert.ok(!e.message.includes(MAKER.key) && !e.message.includes(MAKER.secret), e.message);
      return true;
    });
    assert.equal(calls, 4, "the first try and 3 retries");
    // 20 + 40 + 80 ms of backoff.
    assert.ok(performance.now() - t0 >= 140, "the retries waited");
  });

  it("bad options are refused naming the field; a key or secret is never echoed", () => {
    assert.throws(() => parseOptions({ id: "binance", apiKey: "k", secret: ["s3cr3t-value"] }), (e: Error) => {
      assert.match(e.message, /secret/);
      assert.ok(!e.message.includes("s3cr3t-value"), e.message);
      return true;
    });
    assert.throws(() => parseOptions({ id: "Binance!", apiKey: "k", secret: "s" }), /id: "Binance!"/);
    assert.throws(() => parseOptions({ id: "binance", apiKey: "k", secret: "s", pollMs: 0 }), /pollMs: 0/);
    // With streams "ws", REST pointed elsewhere but no stream URL would open the exchange's own sandbox streams.
    const local = { public: "http://127.0.0.1:1/api/v3", private: "http://127.0.0.1:1/api/v3" };
    assert.throws(() => parseOptions({ id: "binance", apiKey: "k", secret: "s", streams: "ws", urls: local }), /urls\.ws: undefined is required with streams "ws"/);
    assert.throws(() => parseOptions({ id: "binance", apiKey: "k", secret: "s", urls: { ...local, ws: "http://127.0.0.1:1/ws" } }), /urls\.ws: "http:.*ws:\/\/ or wss:\/\//);
  });
});
