// Fill-or-kill: the whole size trades now or nothing happens to the book at all.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Asset } from "../../market/ledger.ts";
import { EndReason, OrderType, TimeInForce } from "../../market/types.ts";
import { BUY, P, SELL, assertMoneyConserved, book, eventsOf, eventsSince, makeWorld, snapshot } from "./helpers.ts";

const fok = TimeInForce.FOK;

describe("FOK orders", () => {
  test("a FOK limit that the book can fill trades its whole size across levels", () => {
    const w = makeWorld();
    const a1 = w.engine.limit(1, 0, SELL, P, 2);
    const a2 = w.engine.limit(1, 2, SELL, P + 1, 3);
    const mark = w.log.size;
    const id = w.engine.submit(2, 1, BUY, OrderType.LIMIT, fok, false, P + 1, 4);
    assert.ok(id > 0);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => [e.makerOrderId, e.size]), [[a1, 2], [a2, 2]]);
    assert.deepEqual(eventsOf(w.log, mark, "expired"), []);
    assert.deepEqual(book(w, SELL), [[a2, P + 1, 1]]);
    assert.deepEqual(book(w, BUY), []);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("a FOK limit one lot short within its limit expires fok_unfillable and touches nothing", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 2);
    w.engine.limit(1, 2, SELL, P + 1, 2);
    w.engine.limit(1, 2, SELL, P + 2, 9); // beyond the limit: does not count
    const before = snapshot(w);
    const mark = w.log.size;
    const id = w.engine.submit(2, 1, BUY, OrderType.LIMIT, fok, false, P + 1, 5);
    assert.ok(id > 0);
    assert.deepEqual(eventsSince(w.log, mark).map((e) => e.type), ["accepted", "expired"]);
    assert.deepEqual(eventsOf(w.log, mark, "expired")[0], {
      type: "expired", ts: 2, orderId: id, account: 1, remaining: 5, reason: EndReason.FOK_UNFILLABLE,
    });
    assert.deepEqual(snapshot(w), before);
  });

  test("a FOK sell against bids fills exactly its size when the liquidity is exactly enough", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P, 2);
    w.engine.limit(1, 2, BUY, P - 1, 2);
    const mark = w.log.size;
    w.engine.submit(2, 1, SELL, OrderType.LIMIT, fok, false, P - 1, 4);
    assert.equal(eventsOf(w.log, mark, "trade").reduce((s, e) => s + e.size, 0), 4);
    assert.deepEqual(book(w, BUY), []);
  });

  test("a FOK market buy the account cannot pay for in full expires fok_unfillable with nothing traded", () => {
    const w = makeWorld({ accounts: 2, quote: 0 });
    w.ledger.deposit(1, Asset.QUOTE, 2 * P + Math.floor((2 * P) / 1000)); // pays for 2 lots, not 3
    w.engine.limit(1, 0, SELL, P, 5);
    const before = snapshot(w);
    const mark = w.log.size;
    w.engine.submit(2, 1, BUY, OrderType.MARKET, fok, false, 0, 3);
    assert.deepEqual(eventsSince(w.log, mark).map((e) => e.type), ["accepted", "expired"]);
    assert.equal(eventsOf(w.log, mark, "expired")[0].reason, EndReason.FOK_UNFILLABLE);
    assert.deepEqual(snapshot(w), before);
    // Exactly affordable: fills.
    const mark2 = w.log.size;
    w.engine.submit(3, 1, BUY, OrderType.MARKET, fok, false, 0, 2);
    assert.equal(eventsOf(w.log, mark2, "trade").reduce((s, e) => s + e.size, 0), 2);
    assertMoneyConserved(w);
  });

  test("a FOK market sell beyond the bids' total expires and leaves them all in place", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P, 1);
    w.engine.limit(1, 2, BUY, P - 100, 1);
    const before = snapshot(w);
    const mark = w.log.size;
    w.engine.submit(2, 1, SELL, OrderType.MARKET, fok, false, 0, 3);
    assert.equal(eventsOf(w.log, mark, "expired")[0].reason, EndReason.FOK_UNFILLABLE);
    assert.deepEqual(snapshot(w), before);
  });
});
