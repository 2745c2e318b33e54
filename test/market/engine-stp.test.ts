// Self-trade prevention: an account never trades with itself, in each of the three modes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MatchingEngine } from "../../market/engine.ts";
import { EventLog } from "../../market/event-log.ts";
import { makeInstrument } from "../../market/instrument.ts";
import { Ledger } from "../../market/ledger.ts";
import { EndReason, SelfTradePrevention, type SelfTradePrevention as Stp } from "../../market/types.ts";
import {
  BUY, P, SATS_PER_LOT, SELL, assertMoneyConserved, balanceOf, book, eventsSince, makeWorld, snapshot, type World,
} from "./helpers.ts";

/** Asks at P: other (acct 2), own (acct 0), other (acct 3); and an own ask at P + 1. */
function setup(stp?: Stp): { w: World; o1: number; own: number; o2: number; ownHigher: number } {
  const w = makeWorld(stp === undefined ? {} : { stp });
  const o1 = w.engine.limit(1, 2, SELL, P, 1);
  const own = w.engine.limit(2, 0, SELL, P, 1);
  const o2 = w.engine.limit(3, 3, SELL, P, 1);
  const ownHigher = w.engine.limit(4, 0, SELL, P + 1, 1);
  return { w, o1, own, o2, ownHigher };
}

function summary(w: World, from: number): unknown[] {
  return eventsSince(w.log, from).map((e) => {
    switch (e.type) {
      case "trade": return ["trade", e.makerOrderId, e.size];
      case "canceled": return ["canceled", e.orderId, e.remaining, e.reason];
      case "expired": return ["expired", e.orderId, e.remaining, e.reason];
      default: return [e.type];
    }
  });
}

describe("self-trade prevention", () => {
  test("default CANCEL_RESTING: own resting orders are canceled self_trade and matching continues", () => {
    const { w, o1, own, o2, ownHigher } = setup();
    const ownBaseBefore = balanceOf(w, 0).freeBase;
    const mark = w.log.size;
    const t = w.engine.limit(5, 0, BUY, P + 1, 3);
    assert.deepEqual(summary(w, mark), [
      ["accepted"],
      ["trade", o1, 1],
      ["canceled", own, 1, EndReason.SELF_TRADE],
      ["trade", o2, 1],
      ["canceled", ownHigher, 1, EndReason.SELF_TRADE],
    ]);
    // The last lot found no one else to trade with, so it rests.
    assert.deepEqual(book(w, SELL), []);
    assert.deepEqual(book(w, BUY), [[t, P + 1, 1]]);
    // Both canceled asks' base is free again; the account bought 2 lots.
    assert.equal(balanceOf(w, 0).lockedBase, 0);
    assert.equal(balanceOf(w, 0).freeBase, ownBaseBefore + 2 * SATS_PER_LOT /* released */ + 2 * SATS_PER_LOT /* bought */);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("CANCEL_RESTING also applies to market orders and never produces a trade with oneself", () => {
    const { w, own } = setup(SelfTradePrevention.CANCEL_RESTING);
    const mark = w.log.size;
    w.engine.market(5, 0, BUY, 5);
    const evs = eventsSince(w.log, mark);
    for (const e of evs) if (e.type === "trade") assert.notEqual(e.makerAccount, e.takerAccount);
    assert.ok(evs.some((e) => e.type === "canceled" && e.orderId === own && e.reason === EndReason.SELF_TRADE));
    assert.deepEqual(book(w, SELL), []);
    assertMoneyConserved(w);
  });

  test("CANCEL_TAKER: the incoming order's remainder expires self_trade and the resting order stays", () => {
    const { w, o1, own, o2, ownHigher } = setup(SelfTradePrevention.CANCEL_TAKER);
    const mark = w.log.size;
    const t = w.engine.limit(5, 0, BUY, P + 1, 3);
    assert.deepEqual(summary(w, mark), [["accepted"], ["trade", o1, 1], ["expired", t, 2, EndReason.SELF_TRADE]]);
    assert.deepEqual(book(w, SELL), [[own, P, 1], [o2, P, 1], [ownHigher, P + 1, 1]]);
    assert.deepEqual(book(w, BUY), []);
    assert.equal(balanceOf(w, 0).lockedQuote, 0);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("CANCEL_BOTH: the resting order is canceled and the incoming remainder expires, both self_trade", () => {
    const { w, o1, own, o2, ownHigher } = setup(SelfTradePrevention.CANCEL_BOTH);
    const mark = w.log.size;
    const t = w.engine.limit(5, 0, BUY, P + 1, 3);
    assert.deepEqual(summary(w, mark), [
      ["accepted"], ["trade", o1, 1], ["canceled", own, 1, EndReason.SELF_TRADE], ["expired", t, 2, EndReason.SELF_TRADE],
    ]);
    assert.deepEqual(book(w, SELL), [[o2, P, 1], [ownHigher, P + 1, 1]]);
    assert.deepEqual(book(w, BUY), []);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("CANCEL_TAKER on an amend that would self-trade expires the amended order", () => {
    const w = makeWorld({ stp: SelfTradePrevention.CANCEL_TAKER });
    const ask = w.engine.limit(1, 0, SELL, P, 1);
    const bid = w.engine.limit(2, 0, BUY, P - 1, 1);
    const mark = w.log.size;
    assert.equal(w.engine.amend(3, 0, bid, P, 1), true);
    assert.deepEqual(summary(w, mark), [["amended"], ["expired", bid, 1, EndReason.SELF_TRADE]]);
    assert.deepEqual(book(w, SELL), [[ask, P, 1]]);
    assert.equal(balanceOf(w, 0).lockedQuote, 0);
    w.engine.assertConsistent();
  });

  test("orders of different accounts at the same price are not affected by STP", () => {
    for (const stp of [0, 1, 2] as const) {
      const w = makeWorld({ stp });
      w.engine.limit(1, 0, SELL, P, 1);
      const before = snapshot(w);
      w.engine.limit(2, 1, BUY, P, 1);
      assert.notDeepEqual(snapshot(w), before);
      assert.equal(eventsSince(w.log, 0).filter((e) => e.type === "trade").length, 1, `stp ${stp}`);
    }
  });

  test("an unknown STP mode is a programming error naming options.stp", () => {
    const inst = makeInstrument();
    assert.throws(() => new MatchingEngine(inst, new Ledger(), new EventLog(), { stp: 3 as Stp }), /options\.stp: 3/);
  });
});
