// Market orders: walk the book at maker prices, never rest, and expire what they cannot fill.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { feeOf } from "../../market/instrument.ts";
import { Asset } from "../../market/ledger.ts";
import { EndReason, OrderType, RejectReason, TimeInForce } from "../../market/types.ts";
import {
  BUY, P, SATS_PER_LOT, SELL, assertMoneyConserved, balanceOf, book, eventsOf, eventsSince, makeWorld, snapshot,
} from "./helpers.ts";

describe("market orders", () => {
  test("a market buy walks the asks best first at each maker's price", () => {
    const w = makeWorld();
    const a1 = w.engine.limit(1, 0, SELL, P + 3, 2);
    const a2 = w.engine.limit(1, 2, SELL, P, 1);
    const a3 = w.engine.limit(1, 3, SELL, P + 1, 1);
    const mark = w.log.size;
    const id = w.engine.market(2, 1, BUY, 3);
    assert.ok(id > 0);
    const evs = eventsSince(w.log, mark);
    assert.deepEqual(evs[0], {
      type: "accepted", ts: 2, orderId: id, account: 1, clientOrderId: 0, side: BUY,
      orderType: OrderType.MARKET, tif: TimeInForce.IOC, postOnly: false, price: 0, size: 3,
    });
    assert.deepEqual(
      evs.slice(1).map((e) => (e.type === "trade" ? [e.makerOrderId, e.price, e.size] : e.type)),
      [[a2, P, 1], [a3, P + 1, 1], [a1, P + 3, 1]],
    );
    assert.deepEqual(book(w, SELL), [[a1, P + 3, 1]]);
    assert.equal(w.engine.order(id), undefined);
    // It paid from free balances: nothing left locked for the taker.
    assert.equal(balanceOf(w, 1).lockedQuote, 0);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("a market sell walks the bids and pays its base straight from the free balance", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P, 1);
    w.engine.limit(1, 2, BUY, P - 1, 1);
    const before = balanceOf(w, 1);
    const mark = w.log.size;
    w.engine.market(2, 1, SELL, 2);
    assert.deepEqual(eventsOf(w.log, mark, "trade").map((e) => [e.price, e.aggressor]), [[P, SELL], [P - 1, SELL]]);
    const after = balanceOf(w, 1);
    assert.equal(after.freeBase, before.freeBase - 2 * SATS_PER_LOT);
    const n = P + (P - 1);
    assert.equal(after.freeQuote, before.freeQuote + n - Math.floor(P / 1000) - Math.floor((P - 1) / 1000));
    assertMoneyConserved(w);
  });

  test("the unfilled remainder after some fills expires as ioc_remainder and never rests", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 2);
    const mark = w.log.size;
    const id = w.engine.market(2, 1, BUY, 5);
    const last = eventsSince(w.log, mark).at(-1);
    assert.deepEqual(last, { type: "expired", ts: 2, orderId: id, account: 1, remaining: 3, reason: EndReason.IOC_REMAINDER });
    assert.deepEqual(book(w, BUY), []);
    assert.equal(w.engine.openOrderCount, 0);
  });

  test("a market order into an empty side expires whole as no_liquidity and moves no money", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, P, 1); // same side: irrelevant to a market buy
    const before = snapshot(w);
    const mark = w.log.size;
    const id = w.engine.market(2, 1, BUY, 4);
    assert.ok(id > 0);
    assert.deepEqual(eventsSince(w.log, mark).map((e) => e.type), ["accepted", "expired"]);
    assert.deepEqual(eventsOf(w.log, mark, "expired")[0], {
      type: "expired", ts: 2, orderId: id, account: 1, remaining: 4, reason: EndReason.NO_LIQUIDITY,
    });
    assert.deepEqual(snapshot(w), before);
  });

  test("a market buy limited by its quote balance fills what it can pay for, then expires insufficient_balance", () => {
    // Account 1 holds exactly the price of 2 lots at P plus the 0.1% taker fee.
    const w = makeWorld({ accounts: 2, quote: 0, base: 0 });
    w.ledger.deposit(0, Asset.BASE, 5 * SATS_PER_LOT);
    w.ledger.deposit(1, Asset.QUOTE, 2 * P + Math.floor((2 * P) / 1000));
    const maker = w.engine.limit(1, 0, SELL, P, 5);
    const mark = w.log.size;
    const id = w.engine.market(2, 1, BUY, 5);
    const evs = eventsSince(w.log, mark);
    assert.deepEqual(evs.map((e) => e.type), ["accepted", "trade", "expired"]);
    assert.equal(evs[1].type === "trade" && evs[1].size, 2);
    assert.deepEqual(evs[2], { type: "expired", ts: 2, orderId: id, account: 1, remaining: 3, reason: EndReason.INSUFFICIENT_BALANCE });
    assert.deepEqual(balanceOf(w, 1), { freeQuote: 0, lockedQuote: 0, freeBase: 2 * SATS_PER_LOT, lockedBase: 0 });
    assert.deepEqual(book(w, SELL), [[maker, P, 3]]);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("a market buy that cannot pay for even one lot trades nothing and expires insufficient_balance", () => {
    const w = makeWorld({ accounts: 2, quote: 0 });
    w.ledger.deposit(1, Asset.QUOTE, P); // the fee on one lot is missing
    w.engine.limit(1, 0, SELL, P, 1);
    const before = snapshot(w);
    const mark = w.log.size;
    const id = w.engine.market(2, 1, BUY, 1);
    assert.ok(id > 0);
    assert.deepEqual(eventsSince(w.log, mark).at(-1), {
      type: "expired", ts: 2, orderId: id, account: 1, remaining: 1, reason: EndReason.INSUFFICIENT_BALANCE,
    });
    assert.deepEqual(snapshot(w), before);
  });

  test("a market buy with no free quote at all is rejected insufficient_balance", () => {
    const w = makeWorld({ accounts: 2, quote: 0 });
    w.engine.limit(1, 0, SELL, P, 1);
    const before = snapshot(w);
    assert.equal(w.engine.market(2, 1, BUY, 1), 0);
    assert.equal(w.engine.lastReject, RejectReason.INSUFFICIENT_BALANCE);
    assert.deepEqual(snapshot(w), before);
  });

  test("a market sell for more base than the free balance is rejected insufficient_balance", () => {
    const w = makeWorld({ accounts: 2, base: 3 * SATS_PER_LOT });
    w.engine.limit(1, 0, BUY, P, 10);
    const before = snapshot(w);
    assert.equal(w.engine.market(2, 1, SELL, 4), 0);
    assert.equal(w.engine.lastReject, RejectReason.INSUFFICIENT_BALANCE);
    assert.deepEqual(snapshot(w), before);
    assert.ok(w.engine.market(3, 1, SELL, 3) > 0);
    assert.equal(balanceOf(w, 1).freeBase, 0);
  });

  test("a balance-limited market buy keeps FIFO: it never fills a later maker while an earlier one at the same price is open", () => {
    // Fees round down per trade, so two 1-lot trades can cost one quote unit less than one
    // 2-lot trade. Price p = 10_000_500 ticks: fee(1 lot) = 10_000, fee(2 lots) = 20_001.
    const p = 10_000_500;
    const oneLot = p + 10_000;
    const w = makeWorld({ accounts: 3, quote: 0 });
    w.ledger.deposit(2, Asset.QUOTE, 2 * oneLot);
    const m1 = w.engine.limit(1, 0, SELL, p, 2);
    const m2 = w.engine.limit(2, 1, SELL, p, 2);
    const mark = w.log.size;
    w.engine.market(3, 2, BUY, 4);
    const makers = eventsOf(w.log, mark, "trade").map((e) => e.makerOrderId);
    assert.ok(makers.length > 0);
    // Price-time priority: every lot comes from m1 until m1 is exhausted.
    const firstM2 = makers.indexOf(m2);
    const m1Filled = eventsOf(w.log, mark, "trade").filter((e) => e.makerOrderId === m1).reduce((s, e) => s + e.size, 0);
    assert.ok(firstM2 === -1 || m1Filled === 2, `maker ${m2} traded while ${m1} still had ${2 - m1Filled} lots open: ${JSON.stringify(book(w, SELL))}`);
    w.engine.assertConsistent();
    assertMoneyConserved(w);
  });

  test("for any level of makers and any quote balance, a market buy takes them strictly in FIFO order and never overspends", () => {
    // Balances are drawn both as a share of the whole sweep's cost and as sums of the costs of
    // a few separate small fills (plus a unit or two), where rounding-down of fees bites.
    const funding = fc.oneof(
      fc.record({ share: fc.double({ min: 0, max: 1.05, noNaN: true }) }),
      fc.record({ chunks: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), extra: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 5_000_000, max: 7_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
        funding,
        (p, sizes, f) => {
          const w = makeWorld({ accounts: 8, quote: 0 });
          const total = sizes.reduce((a, b) => a + b, 0);
          const cost = (lots: number) => lots * p + feeOf(lots * p, 1000);
          const funds = "share" in f
            ? Math.max(1, Math.floor(f.share * cost(total)))
            : f.chunks.reduce((a, c) => a + cost(c), f.extra);
          w.ledger.deposit(7, Asset.QUOTE, funds);
          const makers = sizes.map((s, i) => w.engine.limit(1, i, SELL, p, s));
          const mark = w.log.size;
          w.engine.market(2, 7, BUY, total);
          const trades = eventsOf(w.log, mark, "trade");
          const filled = new Map<number, number>();
          for (const t of trades) {
            const k = makers.indexOf(t.makerOrderId);
            for (let j = 0; j < k; j++) {
              assert.equal(filled.get(makers[j]) ?? 0, sizes[j], `maker #${k} traded before maker #${j} was filled: ${JSON.stringify(trades)}`);
            }
            filled.set(t.makerOrderId, (filled.get(t.makerOrderId) ?? 0) + t.size);
          }
          assert.ok(w.ledger.freeOf(7, Asset.QUOTE) >= 0);
          w.engine.assertConsistent();
          assertMoneyConserved(w);
        },
      ),
      { numRuns: 500 },
    );
  });
});
