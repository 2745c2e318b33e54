// Post-only orders: they rest as makers or are refused, on submit and on amend.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { OrderType, RejectReason, RequestOp, TimeInForce } from "../../market/types.ts";
import { BUY, P, SELL, book, eventsOf, eventsSince, makeWorld, snapshot } from "./helpers.ts";

function postOnly(w: ReturnType<typeof makeWorld>, ts: number, acct: number, side: 0 | 1, price: number, size: number): number {
  return w.engine.submit(ts, acct, side, OrderType.LIMIT, TimeInForce.GTC, true, price, size);
}

describe("post-only", () => {
  test("a post-only order that does not cross rests like a limit order, flagged postOnly", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P + 1, 1);
    const id = postOnly(w, 2, 1, BUY, P, 2);
    assert.ok(id > 0);
    assert.deepEqual(book(w, BUY), [[id, P, 2]]);
    assert.equal(w.engine.order(id)?.postOnly, true);
    assert.equal(eventsOf(w.log, 0, "accepted").at(-1)?.postOnly, true);
    assert.equal(eventsOf(w.log, 0, "trade").length, 0);
  });

  for (const [name, side, price] of [
    ["a buy at the best ask", BUY, P],
    ["a buy through the best ask", BUY, P + 50],
    ["a sell at the best bid", SELL, P - 10],
    ["a sell through the best bid", SELL, P - 60],
  ] as const) {
    test(`${name} is rejected post_only_would_cross with state unchanged`, () => {
      const w = makeWorld();
      w.engine.limit(1, 0, SELL, P, 1);
      w.engine.limit(1, 0, BUY, P - 10, 1);
      const before = snapshot(w);
      const mark = w.log.size;
      assert.equal(postOnly(w, 2, 1, side, price, 1), 0);
      assert.equal(w.engine.lastReject, RejectReason.POST_ONLY_WOULD_CROSS);
      assert.deepEqual(eventsSince(w.log, mark), [{
        type: "rejected", ts: 2, orderId: 0, account: 1, clientOrderId: 0, op: RequestOp.SUBMIT,
        reason: RejectReason.POST_ONLY_WOULD_CROSS,
      }]);
      assert.deepEqual(snapshot(w), before);
    });
  }

  test("amending a post-only order to a crossing price is rejected and the order stays where it was", () => {
    const w = makeWorld();
    const ask = w.engine.limit(1, 0, SELL, P, 1);
    const other = postOnly(w, 1, 2, BUY, P - 5, 1);
    const id = postOnly(w, 1, 1, BUY, P - 5, 1);
    const before = snapshot(w);
    const mark = w.log.size;
    assert.equal(w.engine.amend(2, 1, id, P, 1), false);
    assert.equal(w.engine.lastReject, RejectReason.POST_ONLY_WOULD_CROSS);
    assert.deepEqual(eventsSince(w.log, mark), [{
      type: "rejected", ts: 2, orderId: id, account: 1, clientOrderId: 0, op: RequestOp.AMEND,
      reason: RejectReason.POST_ONLY_WOULD_CROSS,
    }]);
    assert.deepEqual(snapshot(w), before);
    assert.deepEqual(book(w, BUY).map((o) => o[0]), [other, id]);
    assert.deepEqual(book(w, SELL), [[ask, P, 1]]);
  });

  test("amending a post-only order to another non-crossing price is accepted and still never trades", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 1);
    const id = postOnly(w, 1, 1, BUY, P - 5, 1);
    assert.equal(w.engine.amend(2, 1, id, P - 1, 2), true);
    assert.deepEqual(book(w, BUY), [[id, P - 1, 2]]);
    assert.equal(eventsOf(w.log, 0, "trade").length, 0);
    w.engine.assertConsistent();
  });

  test("a plain limit order amended to a crossing price is not subject to the post-only rule", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 1);
    const id = w.engine.limit(1, 1, BUY, P - 5, 1);
    assert.equal(w.engine.amend(2, 1, id, P, 1), true);
    assert.equal(eventsOf(w.log, 0, "trade").length, 1);
  });
});
