// Immediate-or-cancel limit orders: fill what crosses now, expire the rest, never rest.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EndReason, OrderType, TimeInForce } from "../../market/types.ts";
import { BUY, P, SELL, assertMoneyConserved, balanceOf, book, eventsOf, eventsSince, makeWorld, snapshot } from "./helpers.ts";

const ioc = TimeInForce.IOC;

describe("IOC limit orders", () => {
  test("fills what crosses up to its limit and expires the remainder as ioc_remainder", () => {
    const w = makeWorld();
    const a1 = w.engine.limit(1, 0, SELL, P, 2);
    const a2 = w.engine.limit(1, 2, SELL, P + 1, 2);
    const a3 = w.engine.limit(1, 2, SELL, P + 2, 2);
    const mark = w.log.size;
    const id = w.engine.submit(2, 1, BUY, OrderType.LIMIT, ioc, false, P + 1, 10);
    assert.ok(id > 0);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => [e.makerOrderId, e.price, e.size]), [[a1, P, 2], [a2, P + 1, 2]]);
    assert.deepEqual(eventsSince(w.log, mark).at(-1), {
      type: "expired", ts: 2, orderId: id, account: 1, remaining: 6, reason: EndReason.IOC_REMAINDER,
    });
    // Nothing rests, the untouched level is intact, and no reservation is left behind.
    assert.deepEqual(book(w, BUY), []);
    assert.deepEqual(book(w, SELL), [[a3, P + 2, 2]]);
    assert.equal(balanceOf(w, 1).lockedQuote, 0);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("an IOC that fills completely ends with its last trade, no expired event", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P, 5);
    const mark = w.log.size;
    w.engine.submit(2, 1, SELL, OrderType.LIMIT, ioc, false, P, 3);
    assert.deepEqual(eventsSince(w.log, mark).map((e) => e.type), ["accepted", "trade"]);
  });

  test("an IOC that crosses nothing expires whole and leaves book and balances as they were", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P + 5, 2);
    w.engine.limit(1, 2, BUY, P - 5, 2);
    const before = snapshot(w);
    const mark = w.log.size;
    const id = w.engine.submit(2, 1, BUY, OrderType.LIMIT, ioc, false, P, 3);
    assert.ok(id > 0);
    assert.deepEqual(eventsSince(w.log, mark).map((e) => e.type), ["accepted", "expired"]);
    assert.deepEqual(eventsOf(w.log, mark, "expired")[0].remaining, 3);
    assert.deepEqual(eventsOf(w.log, mark, "expired")[0].reason, EndReason.IOC_REMAINDER);
    assert.deepEqual(snapshot(w), before);
  });
});
