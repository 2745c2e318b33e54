// The paper broker's orders against a scripted book: market orders walk the levels, costs through the shared fill model, refusals as the port says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InsufficientFunds, InvalidOrder, OrderNotFound } from "../../../market/exchange.ts";
import { buyPrice } from "../../../market/fills/costs.ts";
import { paper, ScriptedFeed, SYMBOL } from "./scripted-feed.ts";

const COSTS = { makerFee: 0.0002, takerFee: 0.001, latencyMs: 0, slippageBps: 10 };

test("a market buy walks the ask levels best first, paying taker fee and slippage on each; balances move by exactly that", async () => {
  const feed = new ScriptedFeed([[30_000, 1]], [[30_001, 1], [30_002, 1], [30_010, 5]]);
  const b = await paper(feed, { costs: COSTS });
  try {
    const o = await b.createOrder(SYMBOL, "market", "buy", 1.5);
    assert.deepEqual([o.status, o.filled, o.remaining], ["closed", 1.5, 0]);
    const fills = await b.fetchMyTrades(SYMBOL);
    // 10 bps of slippage on 30001 and 30002 (the shared model's buyPrice); value rounded up to the micro-USDT, fee 0.1% rounded down.
    const slip = { commission: 0.001, slippage: 0.001 };
    assert.deepEqual(fills.map((t) => [t.amount, t.price, t.cost, t.fee?.cost, t.takerOrMaker]), [
      [1, buyPrice(slip, 30_001), 30_031.001, 30.031001, "taker"],
      [0.5, buyPrice(slip, 30_002), 15_016.001, 15.016001, "taker"],
    ]);
    const bal = await b.fetchBalance();
    assert.equal(bal.total.USDT, 1_000_000 - 30_031.001 - 30.031001 - 15_016.001 - 15.016001);
    assert.equal(bal.total.BTC, 11.5);
    assert.deepEqual([bal.used.USDT, bal.used.BTC], [0, 0]);
  } finally {
    await b.close();
  }
});

test("a market order larger than the book fills what is there and expires the rest; a second one does not take the same liquidity again", async () => {
  const feed = new ScriptedFeed([[30_000, 1], [29_990, 1]], [[30_001, 1]]);
  const b = await paper(feed);
  try {
    const o = await b.createOrder(SYMBOL, "market", "sell", 3);
    assert.deepEqual([o.status, o.filled, o.remaining, o.reason], ["expired", 2, 1, "no_liquidity"]);
    const again = await b.createOrder(SYMBOL, "market", "sell", 1);
    assert.deepEqual([again.status, again.filled], ["expired", 0], "the paper orders already took this book");
    feed.book([[30_000, 1]], [[30_001, 1]]);
    await feed.settled();
    assert.equal((await b.createOrder(SYMBOL, "market", "sell", 1)).filled, 1, "a new book is whole again");
    assert.deepEqual((await b.fetchBalance()).total.BTC, 7);
  } finally {
    await b.close();
  }
});

test("a crossing limit order takes the book up to its price, then rests for the rest at the back of its level", async () => {
  const feed = new ScriptedFeed([[29_999, 1]], [[30_000, 1], [30_001, 1], [30_003, 1]]);
  const b = await paper(feed, { costs: COSTS });
  try {
    const o = await b.createOrder(SYMBOL, "limit", "buy", 3, 30_001);
    assert.deepEqual([o.status, o.filled, o.remaining], ["open", 2, 1]);
    const fills = await b.fetchMyTrades(SYMBOL);
    // Slippage never beyond the limit: 30000·1.001 = 30030 is capped at 30001.
    assert.deepEqual(fills.map((t) => [t.price, t.amount]), [[30_001, 1], [30_001, 1]]);
    const bal = await b.fetchBalance();
    // What rests reserves its value at its price plus the maker fee.
    assert.equal(bal.used.USDT, 30_001 + 6.0002);
    feed.print([30_001, 1, "sell"]);
    await feed.settled();
    const done = await b.fetchOrder(o.id, SYMBOL);
    assert.deepEqual([done.status, done.filled], ["closed", 3]);
    const maker = (await b.fetchMyTrades(SYMBOL))[2];
    assert.deepEqual([maker.takerOrMaker, maker.price, maker.fee?.cost], ["maker", 30_001, 6.0002]);
    const after = await b.fetchBalance();
    assert.equal(after.used.USDT, 0, "nothing stays reserved once it is filled");
  } finally {
    await b.close();
  }
});

test("IOC takes what crosses and expires the rest; FOK that cannot fill whole expires with nothing", async () => {
  const feed = new ScriptedFeed([[29_999, 1]], [[30_000, 1]]);
  const b = await paper(feed);
  try {
    const ioc = await b.createOrder(SYMBOL, "limit", "buy", 2, 30_000, { timeInForce: "IOC" });
    assert.deepEqual([ioc.status, ioc.filled, ioc.reason], ["expired", 1, "ioc_remainder"]);
    feed.book([[29_999, 1]], [[30_000, 1]]);
    await feed.settled();
    const fok = await b.createOrder(SYMBOL, "limit", "buy", 2, 30_000, { timeInForce: "FOK" });
    assert.deepEqual([fok.status, fok.filled, fok.reason], ["expired", 0, "fok_unfillable"]);
    assert.deepEqual((await b.fetchBalance()).used, { BTC: 0, USDT: 0 });
  } finally {
    await b.close();
  }
});

test("refusals: post-only that would cross, beyond the free balance, a duplicate client order id, a closed or unknown order; nothing changes", async () => {
  const feed = new ScriptedFeed([[29_999, 1]], [[30_000, 1]]);
  const b = await paper(feed, { balances: { BTC: 1, USDT: 50_000 } });
  try {
    const before = await b.fetchBalance();
    await assert.rejects(b.createOrder(SYMBOL, "limit", "buy", 1, 30_000, { postOnly: true }), (e) => e instanceof InvalidOrder && e.reason === "post_only_would_cross" && e.message.includes("30000"));
    await assert.rejects(b.createOrder(SYMBOL, "limit", "buy", 2, 29_000), (e) => e instanceof InsufficientFunds && e.message.includes("50000"));
    await assert.rejects(b.createOrder(SYMBOL, "limit", "sell", 1.5, 31_000), (e) => e instanceof InsufficientFunds);
    await assert.rejects(b.createOrder(SYMBOL, "market", "sell", 2), (e) => e instanceof InsufficientFunds);
    await assert.rejects(b.createOrder(SYMBOL, "limit", "buy", 0.1, 29_000.005), (e) => e instanceof InvalidOrder && e.reason === "tick_size" && e.message.includes("price"));
    await assert.rejects(b.createOrder(SYMBOL, "limit", "buy", 1e-9, 29_000), (e) => e instanceof InvalidOrder && e.reason === "lot_size");
    assert.deepEqual(await b.fetchBalance().then((x) => x.total), before.total);
    const o = await b.createOrder(SYMBOL, "limit", "buy", 1, 29_000, { clientOrderId: "mine-1" });
    assert.equal(o.clientOrderId, "mine-1");
    await assert.rejects(b.createOrder(SYMBOL, "limit", "buy", 0.1, 28_000, { clientOrderId: "mine-1" }), (e) => e instanceof InvalidOrder && e.reason === "duplicate_client_order_id" && e.message.includes("mine-1"));
    const auto = await b.createOrder(SYMBOL, "limit", "buy", 0.1, 28_000);
    assert.ok(auto.clientOrderId !== undefined && auto.clientOrderId !== "mine-1", "every order gets a client order id");
    assert.equal((await b.cancelOrder(o.id, SYMBOL)).status, "canceled");
    await assert.rejects(b.cancelOrder(o.id, SYMBOL), (e) => e instanceof OrderNotFound && e.reason === "order_closed");
    await assert.rejects(b.cancelOrder("999", SYMBOL), (e) => e instanceof OrderNotFound && e.reason === "unknown_order");
    assert.deepEqual((await b.fetchOpenOrders(SYMBOL)).map((x) => x.id), [auto.id]);
    assert.equal(feed.ordersSent, 0);
  } finally {
    await b.close();
  }
});

test("latency: an order acts on the book as it is when the order arrives, not when it was sent", async () => {
  const feed = new ScriptedFeed([[29_999, 1]], [[30_000, 1]]);
  const b = await paper(feed, { costs: { makerFee: 0, takerFee: 0, latencyMs: 40, slippageBps: 0 } });
  try {
    const sent = b.createOrder(SYMBOL, "market", "buy", 1);
    feed.book([[30_099, 1]], [[30_100, 1]]);
    const o = await sent;
    assert.equal(o.average, 30_100);
  } finally {
    await b.close();
  }
});

test("watchOrders and watchMyTrades deliver own changes; watchTrades and watchOrderBook relay the data source's", async () => {
  const feed = new ScriptedFeed([[29_999, 1]], [[30_000, 1]]);
  const b = await paper(feed);
  try {
    const orders = b.watchOrders(SYMBOL);
    const mine = b.watchMyTrades(SYMBOL);
    const pub = b.watchTrades(SYMBOL);
    const book = b.watchOrderBook(SYMBOL);
    const o = await b.createOrder(SYMBOL, "limit", "buy", 1, 29_999);
    assert.equal((await orders).find((x) => x.id === o.id)?.status, "open");
    feed.print([29_999, 2, "sell"]);
    feed.book([[29_998, 1]], [[30_000, 1]]);
    assert.deepEqual((await pub).map((t) => [t.price, t.amount]), [[29_999, 2]]);
    assert.deepEqual((await book).bids, [[29_998, 1]]);
    const f = await mine;
    assert.deepEqual(f.map((t) => [t.order, t.amount, t.takerOrMaker]), [[o.id, 1, "maker"]], "1 ahead, then 1 fills it");
  } finally {
    await b.close();
  }
});
