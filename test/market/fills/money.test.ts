// Integer settlement of bar fills (market/fills/money.ts, decimal.ts): exact conversions, value rounded against the trader, fees down.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decimalOf, DecimalUnits } from "../../../market/fills/decimal.ts";
import { BarMoney } from "../../../market/fills/money.ts";

const FILL = { commission: 0.001, slippage: 0.0005 };

test("a decimal converts to whole units exactly, with no tolerance: off-grid amounts are refused, not rounded", () => {
  const sat = new DecimalUnits(8);
  assert.equal(sat.exact(0.1), 10_000_000);
  assert.equal(sat.exact(0.12345678), 12_345_678);
  assert.ok(Number.isNaN(sat.exact(0.123456785)), "half a satoshi");
  assert.ok(Number.isNaN(sat.exact(0.1 + 0.2)), "0.30000000000000004 is not a whole number of satoshis");
  assert.equal(sat.exact(0.3), 30_000_000);
  assert.equal(new DecimalUnits(6).floor(2.01), 2_010_000, "a budget floors exactly (2.01 × 1e6 is 2009999.9999999998 as a double)");
  assert.equal(new DecimalUnits(6).floor(1.0000009), 1_000_000);
  assert.deepEqual(decimalOf(1e-8), { n: 1n, d: 8 });
  assert.deepEqual(decimalOf(30_025.005), { n: 30_025_005n, d: 3 });
  assert.deepEqual(decimalOf(1.5e21), { n: 1_500_000_000_000_000_000_000n, d: 0 });
});

test("units round-trip: every whole number of units reads back as itself", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (d, k) => {
      const u = new DecimalUnits(d);
      return u.exact(u.toNumber(k)) === k;
    }),
  );
});

test("units derive from the tick and lot: satoshis for a 1e-8 lot, micro-USDT for a 0.01 tick; the grids are whole ticks and lots", () => {
  const m = new BarMoney(0.01, 1e-8, FILL);
  assert.deepEqual([m.base.d, m.quote.d, m.price.d, m.lotUnits, m.tickUnits], [8, 6, 2, 1, 1]);
  const coarse = new BarMoney(0.5, 0.0005, FILL);
  assert.deepEqual([coarse.base.d, coarse.lotUnits, coarse.price.d, coarse.tickUnits], [4, 5, 1, 5]);
  assert.equal(coarse.lots(0.0015), 15);
  assert.ok(Number.isNaN(coarse.lots(0.0012)), "not a whole number of 0.0005 lots");
  assert.equal(coarse.ticks(100.5), 1005);
  assert.ok(Number.isNaN(coarse.ticks(100.2)));
  assert.equal(new BarMoney(1e-8, 1, FILL).quote.d, 8, "a tick finer than a micro-unit makes the quote unit finer");
  assert.throws(() => new BarMoney(0, 1e-8, FILL), /tickSize: 0 must be a positive number/);
});

test("a fill's value rounds against the trader (buyer up, seller down); commission rounds down; all in quote units", () => {
  const m = new BarMoney(0.01, 1e-8, FILL);
  // 1 satoshi at 30,025.005 is 300.25005 micro-USDT.
  assert.equal(m.value(1, 30_025.005, true), 301);
  assert.equal(m.value(1, 30_025.005, false), 300);
  assert.equal(m.value(10_000_000, 30_025.005, true), 3_002_500_500, "0.1 BTC: exact, no rounding needed");
  assert.equal(m.fee(3_002_500_500), 3_002_500, "3.0025005 USDT of commission rounds down to 3.0025");
  assert.equal(m.buyTotal(10_000_000, 30_025.005), 3_005_503_000);
});

test("affordable is the most whole lots a budget buys with commission: one lot more costs more than the budget", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1e-8, 0.0001, 0.001),
      fc.integer({ min: 0, max: 10 ** 11 }),
      fc.integer({ min: 1_00, max: 100_000_00 }),
      fc.constantFrom(0, 0.001, 0.00075),
      (lot, budget, cents, commission) => {
        const m = new BarMoney(0.01, lot, { commission, slippage: 0.0005 });
        const price = (cents / 100) * 1.0005;
        const q = m.affordable(budget, price);
        return q % m.lotUnits === 0 && q >= 0 && m.buyTotal(q, price) <= budget && m.buyTotal(q + m.lotUnits, price) > budget;
      },
    ),
  );
});

test("the replay's book rounds close·(1 ∓ slippage) outwards to the tick, exactly, with the ask at least a tick above the bid", () => {
  const m = new BarMoney(0.01, 1e-8, FILL);
  assert.deepEqual(m.book(30_000), { bid: 2_998_500, ask: 3_001_500 });
  assert.equal(m.book(8_540).bid, 853_573, "8,535.73 exactly, though 8,540 × 0.9995 / 0.01 is 853572.9999999999 as doubles");
  assert.deepEqual(m.book(30_100), { bid: 3_008_495, ask: 3_011_505 });
  assert.deepEqual(new BarMoney(1, 1e-8, { commission: 0, slippage: 0 }).book(100), { bid: 100, ask: 101 });
});
