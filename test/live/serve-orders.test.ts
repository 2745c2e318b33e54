// arena serve, trading: ccxt places, queries and cancels orders against the simulated crowd, and the venue's refusals reach it as ccxt's error classes.
import assert from "node:assert/strict";
import ccxt from "ccxt";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { ALICE, client, serve, untilBook, type Client } from "./serve-fixture.ts";

const SYM = "BTC/USDT";

describe("arena serve: orders through ccxt", () => {
  let s: RunningServer;
  let c: Client;
  before(async () => {
    s = await serve({ speed: 60 });
    c = client(s.url);
    await c.ex.loadMarkets();
    await untilBook(c);
  });
  after(async () => {
    await s.close();
  });

  it("a limit buy below the book rests: fetchOrder and fetchOpenOrders see it, cancelOrder ends it", async () => {
    const book = await c.ex.fetchOrderBook(SYM, 5);
    const price = Math.floor(book.bids[0][0]! * 0.9);
    const o = await c.ex.createOrder(SYM, "limit", "buy", 0.01, price, { clientOrderId: "mine-1" });
    assert.equal(o.status, "open");
    assert.equal(o.clientOrderId, "mine-1");
    assert.equal(o.price, price);
    assert.equal(o.amount, 0.01);
    assert.equal(o.filled, 0);
    const f = await c.ex.fetchOrder(o.id!, SYM);
    assert.equal(f.id, o.id);
    assert.equal(f.status, "open");
    // By client id, as Binance's origClientOrderId.
    const byClient = await c.ex.fetchOrder(undefined as unknown as string, SYM, { origClientOrderId: "mine-1" });
    assert.equal(byClient.id, o.id);
    const open = await c.ex.fetchOpenOrders(SYM);
    assert.deepEqual(open.map((x) => x.id), [o.id]);
    const balance = await c.ex.fetchBalance();
    const usedUsdt = (balance.used as unknown as Record<string, number>).USDT;
    assert.ok(Math.abs(usedUsdt - 0.01 * price) < 1, `USDT ${usedUsdt} locked for the order`);
    const k = await c.ex.cancelOrder(o.id!, SYM);
    assert.equal(k.status, "canceled");
    assert.deepEqual(await c.ex.fetchOpenOrders(SYM), []);
    assert.equal((await c.ex.fetchOrder(o.id!, SYM)).status, "canceled");
  });

  it("a market buy for a quote amount (quoteOrderQty) fills against the crowd; balance and myTrades show the fill", async () => {
    const before = await c.ex.fetchBalance();
    const o = await c.ex.createOrder(SYM, "market", "buy", 0, undefined, { quoteOrderQty: 1000 });
    assert.equal(o.status, "closed");
    assert.ok(o.filled! > 0 && o.cost! <= 1000 && o.cost! > 900, `filled ${o.filled} for ${o.cost} USDT`);
    assert.ok(o.trades.length > 0, "the FULL answer lists its fills");
    const after = await c.ex.fetchBalance();
    const total = (b: typeof after, asset: string) => (b.total as unknown as Record<string, number>)[asset];
    assert.ok(Math.abs(total(after, "BTC") - total(before, "BTC") - o.filled!) < 1e-9);
    assert.ok(total(after, "USDT") < total(before, "USDT") - o.cost! + 1e-6, "paid the cost and the fee");
    const mine = await c.ex.fetchMyTrades(SYM);
    const ofOrder = mine.filter((t) => t.order === o.id);
    assert.equal(ofOrder.length, o.trades.length);
    assert.ok(Math.abs(ofOrder.reduce((a, t) => a + t.amount!, 0) - o.filled!) < 1e-9);
    assert.ok(ofOrder.every((t) => t.side === "buy" && t.takerOrMaker === "taker" && t.fee!.cost! > 0));
  });

  it("ccxt's amount × price market buy (createMarketBuyOrderRequiresPrice) arrives as quoteOrderQty", async () => {
    const book = await c.ex.fetchOrderBook(SYM, 5);
    const o = await c.ex.createOrder(SYM, "market", "buy", 0.01, book.asks[0][0]!);
    assert.equal(o.status, "closed");
    assert.ok(o.cost! <= 0.01 * book.asks[0][0]! + 1e-6);
    assert.ok(o.filled! > 0.009, `filled ${o.filled}`);
  });

  it("a post-only order that would cross is refused (LIMIT_MAKER → OrderImmediatelyFillable)", async () => {
    const book = await c.ex.fetchOrderBook(SYM, 5);
    await assert.rejects(
      c.ex.createOrder(SYM, "limit", "buy", 0.001, book.asks[0][0]! + 100, { postOnly: true }),
      (e: Error) => e instanceof ccxt.OrderImmediatelyFillable && e instanceof ccxt.InvalidOrder,
    );
  });

  it("more than the balance → InsufficientFunds; an unknown order → OrderNotFound", async () => {
    const book = await c.ex.fetchOrderBook(SYM, 5);
    await assert.rejects(c.ex.createOrder(SYM, "limit", "buy", 10, Math.floor(book.bids[0][0]! * 0.9)), ccxt.InsufficientFunds);
    await assert.rejects(c.ex.createOrder(SYM, "limit", "sell", 50, Math.ceil(book.asks[0][0]! * 1.1)), ccxt.InsufficientFunds);
    await assert.rejects(c.ex.fetchOrder("987654321", SYM), ccxt.OrderNotFound);
    await assert.rejects(c.ex.cancelOrder("987654321", SYM), ccxt.OrderNotFound);
  });

  it("an off-grid price or amount is refused as an invalid order (PRICE_FILTER, LOT_SIZE)", async () => {
    const c2 = client(s.url, ALICE);
    // ccxt rounds to the market's precision; its raw API is how a bot could still send an off-grid value.
    await assert.rejects(
      c2.ex.privatePostOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.001", price: "100.001" }),
      (e: Error) => e instanceof ccxt.InvalidOrder && e.message.includes("PRICE_FILTER"),
    );
    await assert.rejects(
      c2.ex.privatePostOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.00011", price: "100.00" }),
      (e: Error) => e instanceof ccxt.InvalidOrder && e.message.includes("LOT_SIZE"),
    );
  });
});
