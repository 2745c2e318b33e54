// Fees: maker and taker rates in parts per million of notional, charged in quote, rounded down.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_INSTRUMENT, feeOf } from "../../market/instrument.ts";
import { Asset } from "../../market/ledger.ts";
import { BUY, P, SELL, assertMoneyConserved, balanceOf, eventsOf, makeWorld } from "./helpers.ts";

describe("fees", () => {
  test("the default instrument charges 0.1% to maker and taker", () => {
    assert.equal(DEFAULT_INSTRUMENT.makerFeePpm, 1000);
    assert.equal(DEFAULT_INSTRUMENT.takerFeePpm, 1000);
    assert.equal(makeWorld().inst.quoteUnitsPerTickLot, 1);
  });

  test("hand-computed trade: 3 lots at 60,000.01 USDT pay exactly 18,000 micro-USDT each side", () => {
    // 3 lots × 0.0001 BTC × 60,000.01 USDT = 18.000003 USDT = 18,000,003 quote units.
    // 0.1% of that is 18,000.003 units, rounded down to 18,000.
    const w = makeWorld();
    const maker0 = balanceOf(w, 0);
    const taker0 = balanceOf(w, 1);
    w.engine.limit(1, 0, SELL, 6_000_001, 3);
    w.engine.limit(2, 1, BUY, 6_000_001, 3);
    const [t] = eventsOf(w.log, 0, "trade");
    assert.equal(t.makerFee, 18_000);
    assert.equal(t.takerFee, 18_000);
    assert.deepEqual(balanceOf(w, 0), {
      freeQuote: maker0.freeQuote + 17_982_003, lockedQuote: 0, freeBase: maker0.freeBase - 30_000, lockedBase: 0,
    });
    assert.deepEqual(balanceOf(w, 1), {
      freeQuote: taker0.freeQuote - 18_018_003, lockedQuote: 0, freeBase: taker0.freeBase + 30_000, lockedBase: 0,
    });
    assert.equal(w.ledger.fees[Asset.QUOTE], 36_000);
    assert.equal(w.ledger.fees[Asset.BASE], 0);
    assertMoneyConserved(w);
  });

  test("fees round down: 0.999 of a quote unit is not charged", () => {
    // One lot at 60,009.99 USDT: notional 6,000,999 units, 0.1% = 6,000.999, charged 6,000.
    const w = makeWorld();
    w.engine.limit(1, 0, BUY, 6_000_999, 1);
    w.engine.limit(2, 1, SELL, 6_000_999, 1);
    const [t] = eventsOf(w.log, 0, "trade");
    assert.deepEqual([t.makerFee, t.takerFee], [6_000, 6_000]);
    assert.equal(w.ledger.fees[Asset.QUOTE], 12_000);
    assertMoneyConserved(w);
  });

  test("maker and taker rates are applied to the right party, whichever side takes", () => {
    const spec = { ...DEFAULT_INSTRUMENT, makerFeePpm: 0, takerFeePpm: 2_500 };
    const w = makeWorld({ spec });
    const q0 = balanceOf(w, 0).freeQuote;
    const q1 = balanceOf(w, 1).freeQuote;
    w.engine.limit(1, 0, BUY, P, 2); // maker buys
    w.engine.limit(2, 1, SELL, P, 2); // taker sells
    const [t] = eventsOf(w.log, 0, "trade");
    const n = 2 * P; // 12,000,000 units
    assert.deepEqual([t.makerFee, t.takerFee], [0, 30_000]);
    assert.equal(balanceOf(w, 0).freeQuote, q0 - n);
    assert.equal(balanceOf(w, 1).freeQuote, q1 + n - 30_000);
    assert.equal(w.ledger.fees[Asset.QUOTE], 30_000);
    assertMoneyConserved(w);
  });

  test("a resting buy reserves notional plus the larger of the two fees", () => {
    const w = makeWorld({ spec: { ...DEFAULT_INSTRUMENT, makerFeePpm: 200, takerFeePpm: 3_000 } });
    const id = w.engine.limit(1, 0, BUY, 6_000_001, 1);
    assert.equal(w.engine.reservedFor(id), 6_000_001 + 18_000);
  });

  test("a taker split over several makers pays each fill's fee rounded down, never more than on the whole", () => {
    const w = makeWorld();
    for (let i = 0; i < 3; i++) w.engine.limit(1, 0, SELL, 6_000_999, 1);
    w.engine.limit(2, 1, BUY, 6_000_999, 3);
    const fees = eventsOf(w.log, 0, "trade").map((e) => e.takerFee);
    assert.deepEqual(fees, [6_000, 6_000, 6_000]);
    assert.ok(fees.reduce((a, b) => a + b, 0) <= feeOf(3 * 6_000_999, 1000));
  });

  test("feeOf is floor(notional × ppm / 1e6) exactly for every safe-integer notional", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 1_000_000 }), (n, ppm) => {
        assert.equal(feeOf(n, ppm), Number((BigInt(n) * BigInt(ppm)) / 1_000_000n));
      }),
      { numRuns: 2000 },
    );
  });
});
