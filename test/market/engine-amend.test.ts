// Amend: size down in place keeps queue priority; any other change goes to the back or matches.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Asset } from "../../market/ledger.ts";
import { RejectReason, RequestOp } from "../../market/types.ts";
import {
  BUY, P, SATS_PER_LOT, SELL, assertMoneyConserved, balanceOf, book, eventsOf, eventsSince, makeWorld, snapshot,
} from "./helpers.ts";

const reserve = (price: number, size: number) => price * size + Math.floor((price * size) / 1000);

describe("amend", () => {
  test("reducing the size at the same price keeps the order's place: the next match hits it first", () => {
    const w = makeWorld();
    const a = w.engine.limit(1, 0, BUY, P, 5);
    const b = w.engine.limit(2, 2, BUY, P, 5);
    const mark = w.log.size;
    assert.equal(w.engine.amend(3, 0, a, P, 2), true);
    assert.deepEqual(eventsSince(w.log, mark), [{ type: "amended", ts: 3, orderId: a, account: 0, price: P, size: 2, priorityKept: true }]);
    assert.deepEqual(book(w, BUY), [[a, P, 2], [b, P, 5]]);
    assert.equal(w.engine.reservedFor(a), reserve(P, 2));
    assert.equal(balanceOf(w, 0).lockedQuote, reserve(P, 2));
    const m2 = w.log.size;
    w.engine.market(4, 1, SELL, 3);
    assert.deepEqual(eventsOf(w.log, m2, "trade").map((e) => [e.makerOrderId, e.size]), [[a, 2], [b, 1]]);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("increasing the size loses priority: the order goes to the back of its level", () => {
    const w = makeWorld();
    const a = w.engine.limit(1, 0, SELL, P, 1);
    const b = w.engine.limit(2, 2, SELL, P, 1);
    const c = w.engine.limit(3, 3, SELL, P, 1);
    const mark = w.log.size;
    assert.equal(w.engine.amend(4, 0, a, P, 3), true);
    assert.deepEqual(eventsSince(w.log, mark), [{ type: "amended", ts: 4, orderId: a, account: 0, price: P, size: 3, priorityKept: false }]);
    assert.deepEqual(book(w, SELL), [[b, P, 1], [c, P, 1], [a, P, 3]]);
    assert.equal(balanceOf(w, 0).lockedBase, 3 * SATS_PER_LOT);
    const m2 = w.log.size;
    w.engine.market(5, 1, BUY, 3);
    assert.deepEqual(eventsOf(w.log, m2, "trade").map((e) => [e.makerOrderId, e.size]), [[b, 1], [c, 1], [a, 1]]);
    w.engine.assertConsistent();
  });

  test("changing the price loses priority even when it comes back to the old price", () => {
    const w = makeWorld();
    const a = w.engine.limit(1, 0, BUY, P, 1);
    const b = w.engine.limit(2, 2, BUY, P, 1);
    assert.equal(w.engine.amend(3, 0, a, P - 1, 1), true);
    assert.deepEqual(book(w, BUY), [[b, P, 1], [a, P - 1, 1]]);
    assert.equal(w.engine.reservedFor(a), reserve(P - 1, 1));
    assert.equal(w.engine.amend(4, 0, a, P, 1), true);
    assert.deepEqual(book(w, BUY), [[b, P, 1], [a, P, 1]]);
    assert.deepEqual(eventsOf(w.log, 0, "amended").map((e) => e.priorityKept), [false, false]);
    const m = w.log.size;
    w.engine.market(5, 1, SELL, 1);
    assert.equal(eventsOf(w.log, m, "trade")[0].makerOrderId, b);
    w.engine.assertConsistent();
  });

  test("amending to a crossing price matches at the makers' prices like a new order and rests the rest", () => {
    const w = makeWorld();
    const a1 = w.engine.limit(1, 0, SELL, P, 1);
    const a2 = w.engine.limit(1, 2, SELL, P + 1, 1);
    const a3 = w.engine.limit(1, 2, SELL, P + 3, 1);
    const id = w.engine.limit(2, 1, BUY, P - 5, 4);
    const mark = w.log.size;
    assert.equal(w.engine.amend(3, 1, id, P + 2, 4), true);
    const evs = eventsSince(w.log, mark);
    assert.deepEqual(evs.map((e) => e.type), ["amended", "trade", "trade"]);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => [e.makerOrderId, e.takerOrderId, e.price, e.size]), [
      [a1, id, P, 1], [a2, id, P + 1, 1],
    ]);
    assert.deepEqual(book(w, BUY), [[id, P + 2, 2]]);
    assert.deepEqual(book(w, SELL), [[a3, P + 3, 1]]);
    assert.equal(w.engine.reservedFor(id), reserve(P + 2, 2));
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("an amend that crosses and fills completely closes the order", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P, 5);
    const id = w.engine.limit(2, 1, SELL, P + 9, 2);
    assert.equal(w.engine.amend(3, 1, id, P, 2), true);
    assert.equal(w.engine.order(id), undefined);
    assert.deepEqual(book(w, SELL), []);
    assert.equal(balanceOf(w, 1).lockedBase, 0);
    assertMoneyConserved(w);
  });

  test("amending a partly filled order sets its new open size", () => {
    const w = makeWorld();
    const id = w.engine.limit(1, 0, SELL, P, 5);
    w.engine.market(2, 1, BUY, 2);
    assert.equal(w.engine.amend(3, 0, id, P, 1), true);
    assert.deepEqual(book(w, SELL), [[id, P, 1]]);
    assert.equal(balanceOf(w, 0).lockedBase, SATS_PER_LOT);
    w.engine.assertConsistent();
  });

  test("an amend the account cannot fund is rejected insufficient_balance and changes nothing", () => {
    const w = makeWorld({ accounts: 2, quote: 0, base: 0 });
    w.ledger.deposit(0, Asset.QUOTE, reserve(P, 3) + 5);
    w.ledger.deposit(1, Asset.BASE, 2 * SATS_PER_LOT);
    const buy = w.engine.limit(1, 0, BUY, P, 2);
    const sell = w.engine.limit(1, 1, SELL, P + 1, 2);
    const before = snapshot(w);
    for (const [acct, id, price, size] of [[0, buy, P, 4], [0, buy, P + 1000, 3], [1, sell, P + 1, 3]] as const) {
      const mark = w.log.size;
      assert.equal(w.engine.amend(2, acct, id, price, size), false);
      assert.equal(w.engine.lastReject, RejectReason.INSUFFICIENT_BALANCE);
      assert.deepEqual(eventsSince(w.log, mark), [{
        type: "rejected", ts: 2, orderId: id, account: acct, clientOrderId: 0, op: RequestOp.AMEND, reason: RejectReason.INSUFFICIENT_BALANCE,
      }]);
      assert.deepEqual(snapshot(w), before);
    }
    // What it can fund counts the order's own reservation: 3 lots at P fits exactly.
    assert.equal(w.engine.amend(3, 0, buy, P, 3), true);
    assert.equal(balanceOf(w, 0).freeQuote, 5);
    w.engine.assertConsistent();
  });

  test("an amend to an unchanged price and size keeps the order's place", () => {
    const w = makeWorld();
    const a = w.engine.limit(1, 0, BUY, P, 2);
    const b = w.engine.limit(1, 2, BUY, P, 2);
    assert.equal(w.engine.amend(2, 0, a, P, 2), true);
    assert.deepEqual(book(w, BUY).map((o) => o[0]), [a, b]);
  });
});
