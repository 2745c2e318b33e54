// Cancel: removes an open order, releases exactly its reservation, and disturbs no one else's place.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EndReason, RejectReason, RequestOp } from "../../market/types.ts";
import {
  BUY, P, SATS_PER_LOT, SELL, assertMoneyConserved, balanceOf, book, eventsOf, eventsSince, makeWorld, snapshot,
} from "./helpers.ts";

describe("cancel", () => {
  test("canceling a resting buy returns exactly the quote it reserved", () => {
    const w = makeWorld();
    w.engine.limit(1, 2, BUY, P - 3, 4);
    const before = snapshot(w);
    const id = w.engine.limit(2, 0, BUY, P - 1, 7);
    assert.notDeepEqual(snapshot(w), before);
    const mark = w.log.size;
    assert.equal(w.engine.cancel(3, 0, id), true);
    assert.equal(w.engine.lastReject, 0);
    assert.deepEqual(eventsSince(w.log, mark), [{ type: "canceled", ts: 3, orderId: id, account: 0, remaining: 7, reason: EndReason.USER }]);
    assert.deepEqual(snapshot(w), before);
    assert.equal(w.engine.order(id), undefined);
    assert.equal(w.engine.reservedFor(id), 0);
  });

  test("canceling a resting sell returns exactly its base", () => {
    const w = makeWorld();
    const before = snapshot(w);
    const id = w.engine.limit(1, 0, SELL, P, 3);
    assert.equal(balanceOf(w, 0).lockedBase, 3 * SATS_PER_LOT);
    w.engine.cancel(2, 0, id);
    assert.deepEqual(snapshot(w), before);
  });

  test("canceling a partly filled buy releases what its open size still reserves, nothing more", () => {
    const w = makeWorld();
    const id = w.engine.limit(1, 0, BUY, P + 1, 5);
    w.engine.limit(2, 1, SELL, P + 1, 2);
    const mid = balanceOf(w, 0);
    const open = 3 * (P + 1) + Math.floor((3 * (P + 1)) / 1000);
    assert.equal(mid.lockedQuote, open);
    const mark = w.log.size;
    w.engine.cancel(3, 0, id);
    assert.equal(eventsOf(w.log, mark, "canceled")[0].remaining, 3);
    assert.deepEqual(balanceOf(w, 0), { ...mid, lockedQuote: 0, freeQuote: mid.freeQuote + open });
    assertMoneyConserved(w);
  });

  test("canceling the middle order of a level keeps the others in FIFO order", () => {
    const w = makeWorld();
    const a = w.engine.limit(1, 0, SELL, P, 1);
    const b = w.engine.limit(2, 2, SELL, P, 1);
    const c = w.engine.limit(3, 3, SELL, P, 1);
    const d = w.engine.limit(4, 0, SELL, P, 1);
    w.engine.cancel(5, 2, b);
    assert.deepEqual(book(w, SELL).map((o) => o[0]), [a, c, d]);
    assert.deepEqual(w.engine.depth(SELL), [{ price: P, size: 3, orders: 3 }]);
    const mark = w.log.size;
    w.engine.market(6, 1, BUY, 3);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => e.makerOrderId), [a, c, d]);
    w.engine.assertConsistent();
  });

  test("canceling the head and the tail of a level keeps the rest in order, and new orders join at the back", () => {
    const w = makeWorld();
    const ids = [1, 2, 3, 4].map((i) => w.engine.limit(i, i % 4, BUY, P, 1));
    w.engine.cancel(5, ids[0] % 4, ids[0]);
    w.engine.cancel(5, ids[3] % 4, ids[3]);
    const e = w.engine.limit(6, 0, BUY, P, 1);
    assert.deepEqual(book(w, BUY).map((o) => o[0]), [ids[1], ids[2], e]);
    w.engine.assertConsistent();
  });

  test("canceling the last order at the best price moves the best to the next level", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P - 2, 1);
    const best = w.engine.limit(1, 0, BUY, P, 1);
    w.engine.cancel(2, 0, best);
    assert.equal(w.engine.bestBid(), P - 2);
    assert.deepEqual(w.engine.top(), { bidPrice: P - 2, bidSize: 1, askPrice: 0, askSize: 0 });
  });

  test("many levels emptied away from the best stay invisible, and their prices can be reused", () => {
    const w = makeWorld();
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) ids.push(w.engine.limit(1, i % 4, SELL, P + i, 1));
    // Empty every level except the best and every tenth: enough to trigger compaction.
    for (let i = 1; i < 200; i++) if (i % 10 !== 0) assert.ok(w.engine.cancel(2, i % 4, ids[i]));
    w.engine.assertConsistent();
    assert.deepEqual(w.engine.depth(SELL).map((l) => l.price), [P, ...Array.from({ length: 19 }, (_, k) => P + 10 * (k + 1))]);
    const again = w.engine.limit(3, 1, SELL, P + 5, 2);
    assert.deepEqual(w.engine.depth(SELL, 3), [
      { price: P, size: 1, orders: 1 }, { price: P + 5, size: 2, orders: 1 }, { price: P + 10, size: 1, orders: 1 },
    ]);
    const mark = w.log.size;
    w.engine.limit(4, 3, BUY, P + 10, 4);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => [e.makerOrderId, e.size]), [[ids[0], 1], [again, 2], [ids[10], 1]]);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("canceling an already canceled order is rejected order_closed and changes nothing", () => {
    const w = makeWorld();
    const id = w.engine.limit(1, 0, BUY, P, 1);
    w.engine.cancel(2, 0, id);
    const before = snapshot(w);
    const mark = w.log.size;
    assert.equal(w.engine.cancel(3, 0, id), false);
    assert.equal(w.engine.lastReject, RejectReason.ORDER_CLOSED);
    assert.deepEqual(eventsSince(w.log, mark), [{
      type: "rejected", ts: 3, orderId: id, account: 0, clientOrderId: 0, op: RequestOp.CANCEL, reason: RejectReason.ORDER_CLOSED,
    }]);
    assert.deepEqual(snapshot(w), before);
  });

  test("orders stay addressable by id across thousands of orders, and closed ones stay closed", () => {
    const w = makeWorld();
    const ids: number[] = [];
    for (let i = 0; i < 9_000; i++) ids.push(w.engine.limit(1, i % 4, SELL, P + (i % 50), 1));
    assert.equal(ids[8_999], 9_000);
    // Close every order with an id below 4,096, then a scattering of later ones.
    for (let id = 1; id < 4_096; id++) assert.ok(w.engine.cancel(2, (id - 1) % 4, id), `cancel ${id}`);
    for (let id = 5_000; id < 9_000; id += 7) assert.ok(w.engine.cancel(2, (id - 1) % 4, id), `cancel ${id}`);
    assert.equal(w.engine.openOrderCount, 9_000 - 4_095 - Math.ceil(4_000 / 7));
    for (const id of [1, 17, 4_095, 5_000, 5_007, 8_997]) {
      assert.equal(w.engine.order(id), undefined);
      assert.equal(w.engine.cancel(3, (id - 1) % 4, id), false);
      assert.equal(w.engine.lastReject, RejectReason.ORDER_CLOSED, `id ${id}`);
    }
    for (const id of [4_096, 4_097, 5_001, 9_000]) {
      assert.deepEqual(w.engine.order(id), {
        orderId: id, account: (id - 1) % 4, clientOrderId: 0, side: SELL, price: P + ((id - 1) % 50), remaining: 1, postOnly: false,
      });
    }
    assert.equal(w.engine.cancel(3, 0, 9_001), false);
    assert.equal(w.engine.lastReject, RejectReason.UNKNOWN_ORDER);
    assert.ok(w.engine.cancel(4, (4_096 - 1) % 4, 4_096));
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });
});
