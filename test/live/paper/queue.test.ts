// The paper broker's queue model: a resting limit order fills only by real trades beyond the queue ahead of it at its price.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { applyPrint, type QueueSlot } from "../../../live/paper/queue.ts";
import { paper, ScriptedFeed, SYMBOL } from "./scripted-feed.ts";

test("a buy behind 5 BTC of queue: 3 BTC traded at its price leave it unfilled, the next 4 fill 2, a trade through its price fills the rest", async () => {
  const feed = new ScriptedFeed([[30_000, 5], [29_999, 1]], [[30_001, 2]]);
  const b = await paper(feed);
  try {
    const o = await b.createOrder(SYMBOL, "limit", "buy", 3, 30_000);
    assert.deepEqual([o.status, o.filled], ["open", 0]);

    feed.print([30_000, 3, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 0, "3 BTC of trades only eat into the 5 BTC ahead");

    feed.print([30_000, 4, "sell"]);
    await feed.settled();
    const part = await b.fetchOrder(o.id, SYMBOL);
    assert.deepEqual([part.status, part.filled, part.remaining], ["open", 2, 1], "2 BTC ahead were left, so 2 of the 4 fill it");

    feed.print([29_999, 0.5, "sell"], [29_998, 2, "sell"]);
    await feed.settled();
    const done = await b.fetchOrder(o.id, SYMBOL);
    assert.deepEqual([done.status, done.filled, done.average], ["closed", 3, 30_000], "trades through its price fill it, at its own price");
    const fills = await b.fetchMyTrades(SYMBOL);
    assert.deepEqual(fills.map((t) => [t.amount, t.price, t.takerOrMaker]), [[2, 30_000, "maker"], [0.5, 30_000, "maker"], [0.5, 30_000, "maker"]]);
    assert.equal(feed.ordersSent, 0, "the data source never sees an order");
  } finally {
    await b.close();
  }
});

test("trades at its price by a taker on its own side, or before it was placed, do not fill a resting order", async () => {
  const feed = new ScriptedFeed([[30_000, 1]], [[30_001, 1]]);
  const b = await paper(feed);
  try {
    const o = await b.createOrder(SYMBOL, "limit", "sell", 1, 30_001);
    feed.print([30_001, 5, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 0, "a sell taker at the ask does not trade with the asks");
    feed.print([30_001, 1.5, "buy"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 0.5, "1 BTC ahead (the book's ask), then 0.5 fills it");
    // A trade printed before the order was placed but delivered after it (a polled feed is late).
    feed.hold = true;
    feed.print([30_002, 3, "buy"]);
    const late = await b.createOrder(SYMBOL, "limit", "sell", 1, 30_001);
    feed.hold = false;
    feed.release();
    await feed.settled();
    assert.equal((await b.fetchOrder(late.id, SYMBOL)).filled, 0, "a trade from before the order was placed never fills it");
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 1, "but it fills the order resting before it");
  } finally {
    await b.close();
  }
});

test("a new level has no queue: the first trade at it fills the order", async () => {
  const feed = new ScriptedFeed([[30_000, 5]], [[30_010, 5]]);
  const b = await paper(feed);
  try {
    const o = await b.createOrder(SYMBOL, "limit", "buy", 1, 30_005);
    feed.print([30_005, 0.25, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 0.25);
  } finally {
    await b.close();
  }
});

test("two own orders at one price: the later one queues behind the earlier, and moves up when it is canceled", async () => {
  const feed = new ScriptedFeed([[30_000, 1]], [[30_001, 1]]);
  const b = await paper(feed);
  try {
    const first = await b.createOrder(SYMBOL, "limit", "buy", 2, 30_000);
    const second = await b.createOrder(SYMBOL, "limit", "buy", 1, 30_000);
    feed.print([30_000, 2, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(first.id, SYMBOL)).filled, 1, "1 ahead, then 1 of the first order");
    assert.equal((await b.fetchOrder(second.id, SYMBOL)).filled, 0);
    await b.cancelOrder(first.id, SYMBOL);
    feed.print([30_000, 0.5, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(second.id, SYMBOL)).filled, 0.5, "nothing is ahead of the second once the first left");
  } finally {
    await b.close();
  }
});

test("editOrder: less at the same price keeps the place in the queue; a new price goes to the back of the queue there", async () => {
  const feed = new ScriptedFeed([[30_000, 2], [29_999, 4]], [[30_001, 1]]);
  const b = await paper(feed);
  try {
    const o = await b.createOrder(SYMBOL, "limit", "buy", 2, 30_000);
    feed.print([30_000, 1.5, "sell"]);
    await feed.settled();
    await b.editOrder(o.id, SYMBOL, "limit", "buy", 1, 30_000);
    feed.print([30_000, 1, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 0.5, "0.5 was still ahead after the edit");
    const e = await b.editOrder(o.id, SYMBOL, "limit", "buy", 0.5, 29_999);
    assert.deepEqual([e.price, e.filled, e.remaining, e.amount], [29_999, 0.5, 0.5, 1]);
    feed.print([29_999, 4, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).filled, 0.5, "4 BTC were ahead at 29999");
    feed.print([29_999, 0.5, "sell"]);
    await feed.settled();
    assert.equal((await b.fetchOrder(o.id, SYMBOL)).status, "closed");
    assert.equal((await b.fetchBalance()).used.USDT, 0);
  } finally {
    await b.close();
  }
});

const slot = fc.record({
  side: fc.constantFrom("buy" as const, "sell" as const),
  price: fc.integer({ min: 95, max: 105 }),
  ahead: fc.integer({ min: 0, max: 50 }),
  remaining: fc.integer({ min: 1, max: 50 }),
});
const print = fc.record({ price: fc.integer({ min: 95, max: 105 }), size: fc.integer({ min: 0, max: 100 }), taker: fc.constantFrom("buy" as const, "sell" as const, undefined) });

test("one print never fills more than its size on a side, never more than an order's remainder, and never grows a queue", () => {
  fc.assert(
    fc.property(fc.array(slot, { maxLength: 8 }), print, (slots: QueueSlot[], p) => {
      const out = applyPrint(slots, p);
      for (const side of ["buy", "sell"] as const) {
        const through = out.filter((_, i) => slots[i].side === side && slots[i].price !== p.price).reduce((s, o) => s + o.fill, 0);
        assert.ok(through <= p.size, `fills through the price ${through} exceed the print ${p.size}`);
      }
      out.forEach((o, i) => {
        assert.ok(o.fill >= 0 && o.fill <= slots[i].remaining);
        assert.ok(o.ahead >= 0 && o.ahead <= slots[i].ahead);
        // A fill at the price happens only once the queue ahead is gone.
        if (o.fill > 0 && slots[i].price === p.price) assert.equal(o.ahead, 0);
      });
    }),
  );
});
