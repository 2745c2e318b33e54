// Limit GTC orders: resting, matching at the maker's price, partial fills, walking levels, FIFO.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Asset } from "../../market/ledger.ts";
import { OrderType, TimeInForce } from "../../market/types.ts";
import {
  BUY, P, SATS_PER_LOT, SELL, assertMoneyConserved, balanceOf, book, eventsOf, eventsSince, makeWorld,
} from "./helpers.ts";

describe("limit GTC", () => {
  test("a non-crossing order rests, reserves its funds and is reported accepted", () => {
    const w = makeWorld();
    const before = balanceOf(w, 0);
    const id = w.engine.limit(1, 0, BUY, P, 3, 42);
    assert.ok(id > 0);
    assert.equal(w.engine.lastReject, 0);
    assert.deepEqual(eventsSince(w.log, 0), [{
      type: "accepted", ts: 1, orderId: id, account: 0, clientOrderId: 42, side: BUY,
      orderType: OrderType.LIMIT, tif: TimeInForce.GTC, postOnly: false, price: P, size: 3,
    }]);
    assert.deepEqual(book(w, BUY), [[id, P, 3]]);
    assert.equal(w.engine.bestBid(), P);
    assert.equal(w.engine.bestAsk(), 0);
    // Notional 3 lots × P ticks × 1 quote unit, plus the 0.1% fee on it.
    const reserve = 3 * P + Math.floor((3 * P) / 1000);
    assert.equal(w.engine.reservedFor(id), reserve);
    assert.equal(balanceOf(w, 0).lockedQuote, reserve);
    assert.equal(balanceOf(w, 0).freeQuote, before.freeQuote - reserve);

    const ask = w.engine.limit(2, 1, SELL, P + 10, 2);
    assert.deepEqual(book(w, SELL), [[ask, P + 10, 2]]);
    assert.equal(balanceOf(w, 1).lockedBase, 2 * SATS_PER_LOT);
    assert.deepEqual(w.engine.top(), { bidPrice: P, bidSize: 3, askPrice: P + 10, askSize: 2 });
    w.engine.assertConsistent();
  });

  test("a crossing order trades at the resting (maker) price, not its own limit", () => {
    const w = makeWorld();
    const maker = w.engine.limit(1, 0, SELL, P, 2);
    const mark = w.log.size;
    const taker = w.engine.limit(2, 1, BUY, P + 500, 2);
    const trades = eventsOf(w.log, mark, "trade");
    assert.equal(trades.length, 1);
    assert.equal(trades[0].price, P);
    assert.equal(trades[0].size, 2);
    assert.equal(trades[0].makerOrderId, maker);
    assert.equal(trades[0].takerOrderId, taker);
    assert.equal(trades[0].aggressor, BUY);
    // The buyer paid P per lot (plus fee), and the unused part of its reservation came back.
    const notional = 2 * P;
    const b = balanceOf(w, 1);
    assert.equal(b.lockedQuote, 0);
    assert.equal(b.freeQuote, 1_000_000 * 1_000_000 - notional - Math.floor(notional / 1000));
    assert.equal(b.freeBase, 100 * 100_000_000 + 2 * SATS_PER_LOT);
    assert.equal(w.engine.order(maker), undefined);
    assert.equal(w.engine.order(taker), undefined);
    assert.equal(w.engine.openOrderCount, 0);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("a sell taker also trades at the resting bid's price", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P + 7, 1);
    const mark = w.log.size;
    w.engine.limit(2, 1, SELL, P, 1);
    const [t] = eventsOf(w.log, mark, "trade");
    assert.equal(t.price, P + 7);
    assert.equal(t.aggressor, SELL);
  });

  test("a taker larger than the book fills partially and rests the remainder at its limit", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 2);
    const taker = w.engine.limit(2, 1, BUY, P, 5);
    assert.deepEqual(book(w, SELL), []);
    assert.deepEqual(book(w, BUY), [[taker, P, 3]]);
    // The reservation now covers exactly the 3 open lots.
    assert.equal(w.engine.reservedFor(taker), 3 * P + Math.floor((3 * P) / 1000));
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("a taker smaller than the maker leaves the maker resting with its reduced size, same place", () => {
    const w = makeWorld();
    const m1 = w.engine.limit(1, 0, SELL, P, 5);
    const m2 = w.engine.limit(2, 2, SELL, P, 1);
    w.engine.limit(3, 1, BUY, P, 2);
    assert.deepEqual(book(w, SELL), [[m1, P, 3], [m2, P, 1]]);
    assert.equal(w.engine.reservedFor(m1), 3 * SATS_PER_LOT);
    w.engine.assertConsistent();
  });

  test("a taker walks price levels best first and stops at its limit", () => {
    const w = makeWorld();
    const a1 = w.engine.limit(1, 0, SELL, P + 2, 1);
    const a2 = w.engine.limit(2, 0, SELL, P, 1);
    const a3 = w.engine.limit(3, 2, SELL, P + 1, 2);
    const a4 = w.engine.limit(4, 2, SELL, P + 3, 1);
    const mark = w.log.size;
    const t = w.engine.limit(5, 1, BUY, P + 2, 10);
    const trades = eventsOf(w.log, mark, "trade").map((e) => [e.makerOrderId, e.price, e.size]);
    assert.deepEqual(trades, [[a2, P, 1], [a3, P + 1, 2], [a1, P + 2, 1]]);
    assert.deepEqual(book(w, SELL), [[a4, P + 3, 1]]);
    assert.deepEqual(book(w, BUY), [[t, P + 2, 6]]);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("within a level, makers are filled in order of arrival (FIFO)", () => {
    const w = makeWorld();
    const ids = [w.engine.limit(1, 0, BUY, P, 2), w.engine.limit(2, 2, BUY, P, 2), w.engine.limit(3, 3, BUY, P, 2)];
    // A better-priced later order still goes first: price before time.
    const better = w.engine.limit(4, 3, BUY, P + 1, 1);
    assert.deepEqual(book(w, BUY).map((o) => o[0]), [better, ...ids]);
    const mark = w.log.size;
    w.engine.limit(5, 1, SELL, P, 4);
    assert.deepEqual(
      eventsOf(w.log, mark, "trade").map((e) => [e.makerOrderId, e.size]),
      [[better, 1], [ids[0], 2], [ids[1], 1]],
    );
    assert.deepEqual(book(w, BUY), [[ids[1], P, 1], [ids[2], P, 2]]);
    w.engine.assertConsistent();
  });

  test("trade ids increase by one from 1 and carry the taker's event time", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 1);
    w.engine.limit(1, 0, SELL, P + 1, 1);
    const mark = w.log.size;
    w.engine.limit(9, 1, BUY, P + 1, 2);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => [e.tradeId, e.ts]), [[1, 9], [2, 9]]);
  });

  test("order ids are assigned 1, 2, 3… to accepted orders only", () => {
    const w = makeWorld();
    assert.equal(w.engine.limit(1, 0, BUY, P, 1), 1);
    assert.equal(w.engine.limit(1, 0, BUY, P, 0), 0);
    assert.equal(w.engine.limit(1, 0, BUY, P, 1), 2);
  });

  test("a level emptied by matching disappears from depth and top of book", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 1);
    w.engine.limit(1, 0, SELL, P + 5, 2);
    w.engine.limit(2, 1, BUY, P, 1);
    assert.deepEqual(w.engine.depth(SELL), [{ price: P + 5, size: 2, orders: 1 }]);
    assert.equal(w.engine.bestAsk(), P + 5);
    assert.equal(w.ledger.lockedOf(0, Asset.BASE), 2 * SATS_PER_LOT);
  });
});
