// Polled watchOrders: own answers count as changes, and a watcher keeps its place when old changes are dropped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PollStreams } from "../../live/ccxt-exchange-poll.ts";
import type { Order } from "../../market/exchange.ts";

const SYM = "BTC/USDT";

function order(id: number, status: Order["status"]): Order {
  return {
    id: String(id), clientOrderId: undefined, timestamp: 0, datetime: "", lastTradeTimestamp: undefined, symbol: SYM, type: "limit",
    timeInForce: "GTC", postOnly: false, side: "buy", price: 1, average: undefined, amount: 1, filled: 0, remaining: 1, cost: 0,
    status, fee: { cost: 0, currency: "USDT" }, reason: undefined, info: { venueTs: 0, localTs: 0 },
  };
}

test("watchOrders resolves with changes seen after the call, also when 25,000 changes arrive while it waits", async () => {
  const p = new PollStreams(5, {
    fetchOrderBook: () => Promise.reject(new Error("unused")),
    fetchTrades: () => Promise.resolve([]),
    fetchMyTrades: () => Promise.resolve([]),
    fetchOpenOrders: () => Promise.resolve([]),
    fetchOrder: (id) => Promise.resolve(order(Number(id), "canceled")),
  });
  p.observe(order(0, "closed"));
  const watch = p.orders(SYM);
  for (let i = 1; i <= 25_000; i++) p.observe(order(i, "closed"));
  const got = await watch;
  assert.ok(got.length > 0 && got.length <= 25_000);
  assert.equal(got.at(-1)!.id, "25000", "the latest change is delivered");
  assert.ok(!got.some((o) => o.id === "0"), "a change from before the call is not");
  const next = p.orders(SYM);
  p.observe(order(25_001, "open"));
  assert.deepEqual((await next).map((o) => o.id), ["25001"]);
  p.close();
});
