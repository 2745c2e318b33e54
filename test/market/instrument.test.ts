// Instrument rules: spec validation, integer unit conversion, and min notional at the venue.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  DEFAULT_INSTRUMENT, amountToLots, lotsToAmount, makeInstrument, priceToTicks, ticksToPrice,
} from "../../market/instrument.ts";
import { OrderType, RejectReason, RequestOp, TimeInForce } from "../../market/types.ts";
import { BUY, P, SELL, eventsSince, makeWorld, snapshot } from "./helpers.ts";

describe("makeInstrument", () => {
  test("derives the integer factors of the default BTC/USDT instrument", () => {
    const inst = makeInstrument();
    assert.equal(inst.symbol, "BTC/USDT");
    assert.equal(inst.base, "BTC");
    assert.equal(inst.quote, "USDT");
    assert.equal(inst.baseUnitsPerLot, 10_000);
    assert.equal(inst.quoteUnitsPerTickLot, 1);
    assert.equal(inst.minNotionalUnits, 5_000_000);
    assert.ok(Object.isFrozen(inst));
  });

  test("derives factors larger than one for coarser grids", () => {
    const inst = makeInstrument({ ...DEFAULT_INSTRUMENT, tickSize: 0.5, lotSize: 0.001 });
    assert.equal(inst.baseUnitsPerLot, 100_000);
    assert.equal(inst.quoteUnitsPerTickLot, 500);
  });

  const bad: [field: string, value: unknown][] = [
    ["symbol", "btcusdt"],
    ["tickSize", -0.01],
    ["tickSize", 0],
    ["tickSize", Infinity],
    ["lotSize", 0],
    ["lotSize", "0.0001"],
    ["baseScale", 1.5],
    ["quoteScale", 0],
    ["minNotional", -1],
    ["makerFeePpm", 1.5],
    ["takerFeePpm", 1_000_001],
    ["takerFeePpm", undefined],
  ];
  for (const [field, value] of bad) {
    test(`throws naming instrument.${field} for ${String(value)}`, () => {
      assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, [field]: value }), (e: Error) => {
        assert.match(e.message, new RegExp(`^instrument\\.${field}: `));
        return true;
      });
    });
  }

  test("the error shows the offending value", () => {
    assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, tickSize: -0.01 }), /instrument\.tickSize: -0\.01 is invalid/);
    assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, symbol: "btc" }), /instrument\.symbol: "btc" is invalid.*BASE\/QUOTE/);
  });

  test("the error shows NaN and Infinity as themselves, not as null", () => {
    assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, tickSize: NaN }), /instrument\.tickSize: NaN /);
    assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, minNotional: Infinity }), /instrument\.minNotional: Infinity /);
  });

  test("throws for an unknown key, naming it", () => {
    assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, feePpm: 1 }), /feePpm/);
  });

  test("throws naming lotSize when a lot is not a whole number of base units", () => {
    assert.throws(() => makeInstrument({ ...DEFAULT_INSTRUMENT, lotSize: 1e-9 }), /^Error: instrument\.lotSize: 1e-9 /);
  });

  test("throws naming tickSize when tick × lot is not a whole number of quote units", () => {
    assert.throws(
      () => makeInstrument({ ...DEFAULT_INSTRUMENT, tickSize: 0.0001, lotSize: 0.00000001 }),
      /^Error: instrument\.tickSize: 0\.0001 × lotSize 1e-8 /,
    );
  });
});

describe("unit conversion", () => {
  const inst = makeInstrument();

  test("prices and amounts on the grid convert to exact integers", () => {
    assert.equal(priceToTicks(inst, 60_000.01), 6_000_001);
    assert.equal(priceToTicks(inst, 0.07), 7);
    assert.equal(amountToLots(inst, 0.0003), 3);
    assert.equal(amountToLots(inst, 1.2345), 12_345);
  });

  test("prices and amounts off the grid are NaN, never rounded", () => {
    assert.ok(Number.isNaN(priceToTicks(inst, 60_000.005)));
    assert.ok(Number.isNaN(priceToTicks(inst, 0.001)));
    assert.ok(Number.isNaN(amountToLots(inst, 0.00015)));
    assert.ok(Number.isNaN(amountToLots(inst, 0.00001)));
    assert.ok(Number.isNaN(priceToTicks(inst, NaN)));
  });

  test("ticks → price → ticks and lots → amount → lots round-trip", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), (n) => {
        assert.equal(priceToTicks(inst, ticksToPrice(inst, n)), n);
        assert.equal(amountToLots(inst, lotsToAmount(inst, n)), n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("min notional", () => {
  // 5 USDT: one lot (0.0001 BTC) must be priced at 50,000.00 USDT = 5,000,000 ticks or more.
  const MIN = 5_000_000;

  test("a limit order at exactly the minimum is accepted; one tick below is rejected min_notional", () => {
    const w = makeWorld();
    assert.ok(w.engine.limit(1, 0, BUY, MIN, 1) > 0);
    const before = snapshot(w);
    const mark = w.log.size;
    assert.equal(w.engine.limit(2, 0, BUY, MIN - 1, 1, 7), 0);
    assert.equal(w.engine.lastReject, RejectReason.MIN_NOTIONAL);
    assert.deepEqual(eventsSince(w.log, mark), [{
      type: "rejected", ts: 2, orderId: 0, account: 0, clientOrderId: 7, op: RequestOp.SUBMIT, reason: RejectReason.MIN_NOTIONAL,
    }]);
    assert.deepEqual(snapshot(w), before);
    assert.ok(w.engine.limit(3, 0, BUY, MIN - 1, 2) > 0, "two lots clear the minimum");
  });

  test("a market order is judged at the best opposite price", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, 4_000_000, 5); // 40,000 USDT: one lot is 4 USDT
    const before = snapshot(w);
    assert.equal(w.engine.market(2, 1, BUY, 1), 0);
    assert.equal(w.engine.lastReject, RejectReason.MIN_NOTIONAL);
    assert.deepEqual(snapshot(w), before);
    assert.ok(w.engine.market(3, 1, BUY, 2) > 0);
  });

  test("an IOC below the minimum is rejected, not expired", () => {
    const w = makeWorld();
    assert.equal(w.engine.submit(1, 0, SELL, OrderType.LIMIT, TimeInForce.IOC, false, MIN - 1, 1), 0);
    assert.equal(w.engine.lastReject, RejectReason.MIN_NOTIONAL);
  });

  test("amending below the minimum is rejected min_notional and the order is unchanged", () => {
    const w = makeWorld();
    const id = w.engine.limit(1, 0, BUY, P, 3);
    const before = snapshot(w);
    assert.equal(w.engine.amend(2, 0, id, MIN - 1, 1), false);
    assert.equal(w.engine.lastReject, RejectReason.MIN_NOTIONAL);
    assert.deepEqual(snapshot(w), before);
  });
});
