// ReplayExchange keeps integer money as a venue does: every balance, fill and fee a whole unit, and nothing created or lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ExchangeError } from "../../../market/exchange.ts";
import { decimalOf, DecimalUnits, pow10 } from "../../../market/fills/decimal.ts";
import { ReplayExchange } from "../../../experiments/backtest/replay-exchange.ts";
import { bars } from "./helpers.ts";

const SYM = "BTC/USDT";
const QUOTE = new DecimalUnits(6); // micro-USDT: the replay's quote unit for a 0.01 tick
const BASE = new DecimalUnits(8); // satoshis: its base unit for a 1e-8 lot
const FILL = { commission: 0.00075, slippage: 0.0005 };
const Q0 = 10_000;
const B0 = 0.5;

/** Units of a number the port showed; fails the test when it is not a whole number of them. */
function units(u: DecimalUnits, x: number, what: string): bigint {
  const k = u.exact(x);
  assert.ok(Number.isSafeInteger(k), `${what}: ${x} is not a whole number of units (1e-${u.d})`);
  return BigInt(k);
}

/** amount × price exactly, in quote units scaled by 10^k: [numerator, denominator]. */
function exactValue(amount: number, price: number): [bigint, bigint] {
  const a = decimalOf(amount);
  const p = decimalOf(price);
  return [a.n * p.n * QUOTE.perCoinBig, pow10(a.d + p.d)];
}

/** The balances as units, checked: whole units, free + used = total, nothing negative. */
async function balances(ex: ReplayExchange) {
  const b = await ex.fetchBalance();
  const out = { q: 0n, qUsed: 0n, b: 0n, bUsed: 0n };
  for (const [cur, u, key] of [["USDT", QUOTE, "q"], ["BTC", BASE, "b"]] as const) {
    const free = units(u, b.free[cur], `${cur} free`);
    const used = units(u, b.used[cur], `${cur} used`);
    const total = units(u, b.total[cur], `${cur} total`);
    assert.equal(free + used, total, `${cur}: free + used = total, exactly`);
    assert.ok(free >= 0n && used >= 0n, `${cur}: free ${free}, used ${used} units`);
    out[key] = total;
    out[key === "q" ? "qUsed" : "bUsed"] = used;
  }
  return out;
}

/** Every unit accounted for: the start, plus what trades moved, minus the fees collected. */
async function conserved(ex: ReplayExchange): Promise<void> {
  let q = units(QUOTE, Q0, "quote");
  let b = units(BASE, B0, "base");
  for (const t of await ex.fetchMyTrades(SYM)) {
    const cost = units(QUOTE, t.cost, `trade ${t.id} cost`);
    const fee = units(QUOTE, t.fee?.cost ?? NaN, `trade ${t.id} fee`);
    const amount = units(BASE, t.amount, `trade ${t.id} amount`);
    // The value is amount × price rounded to the unit against the trader; the fee is the rate times it, rounded down.
    const [num, den] = exactValue(t.amount, t.price);
    if (t.side === "buy") assert.ok(cost * den >= num && (cost - 1n) * den < num, `buy ${t.id}: cost ${cost} rounds ${num}/${den} up`);
    else assert.ok(cost * den <= num && (cost + 1n) * den > num, `sell ${t.id}: cost ${cost} rounds ${num}/${den} down`);
    const r = decimalOf(FILL.commission);
    assert.ok(fee * pow10(r.d) <= cost * r.n && (fee + 1n) * pow10(r.d) > cost * r.n, `trade ${t.id}: fee ${fee} of ${cost}`);
    if (t.side === "buy") {
      q -= cost + fee;
      b += amount;
    } else {
      q += cost - fee;
      b -= amount;
    }
  }
  const now = await balances(ex);
  assert.equal(now.q, q, "quote: start − buys − fees + sells, to the micro-unit");
  assert.equal(now.b, b, "base: start + bought − sold, to the satoshi");
  if ((await ex.fetchOpenOrders(SYM)).length === 0) assert.deepEqual([now.qUsed, now.bUsed], [0n, 0n], "no order, nothing reserved");
}

const op = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant("advance" as const) }), weight: 3 },
  fc.record({ k: fc.constant("market" as const), side: fc.constantFrom("buy" as const, "sell" as const), sats: fc.integer({ min: 1, max: 10_000_000 }) }),
  fc.record({ k: fc.constant("cost" as const), micro: fc.integer({ min: 1, max: 4_000_000_000 }) }),
  fc.record({ k: fc.constant("limit" as const), side: fc.constantFrom("buy" as const, "sell" as const), sats: fc.integer({ min: 1, max: 10_000_000 }), offset: fc.integer({ min: -300_00, max: 300_00 }) }),
  fc.record({ k: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ k: fc.constant("edit" as const), pick: fc.nat(), sats: fc.integer({ min: 1, max: 10_000_000 }), offset: fc.integer({ min: -300_00, max: 300_00 }) }),
);

test("any sequence of orders, fills, cancels and edits: balances stay whole units, and every unit is accounted for", async () => {
  await fc.assert(
    fc.asyncProperty(
      // Bars with prices of up to 8 decimals, as recorded data may have: fill prices are off the tick grid.
      fc.array(fc.tuple(fc.integer({ min: 20_000_00000000, max: 40_000_00000000 }), fc.integer({ min: -500_00000000, max: 500_00000000 })), { minLength: 3, maxLength: 25 }),
      fc.array(op, { minLength: 10, maxLength: 80 }),
      async (oc, ops) => {
        const rows = oc.map(([o, d]) => {
          const open = o / 1e8;
          const close = (o + d) / 1e8;
          return [open, Math.max(open, close) + 37.5, Math.min(open, close) - 41.25, close] as const;
        });
        const ex = new ReplayExchange({ bars: bars(rows), fill: FILL, quote: Q0, base: B0 });
        await ex.advance();
        for (const o of ops) {
          const before = await balances(ex);
          const close = (await ex.fetchOHLCV(SYM, undefined, undefined, 1))[0][4];
          const at = (offset: number) => Math.max(0.01, Math.round(close * 100 + offset) / 100);
          const open = await ex.fetchOpenOrders(SYM);
          try {
            if (o.k === "advance") {
              if (!(await ex.advance())) break;
            } else if (o.k === "market") await ex.createOrder(SYM, "market", o.side, o.sats / 1e8);
            else if (o.k === "cost") await ex.createOrder(SYM, "market", "buy", 0, undefined, { cost: o.micro / 1e6 });
            else if (o.k === "limit") await ex.createOrder(SYM, "limit", o.side, o.sats / 1e8, at(o.offset));
            else if (open.length > 0) {
              const r = open[o.pick % open.length];
              if (o.k === "cancel") await ex.cancelOrder(r.id, SYM);
              else if (r.type === "limit") await ex.editOrder(r.id, SYM, "limit", r.side, o.sats / 1e8, at(o.offset));
            }
          } catch (e) {
            assert.ok(e instanceof ExchangeError, `a refusal is an ExchangeError, got ${String(e)}`);
            assert.deepEqual(await balances(ex), before, `a refused ${o.k} changes nothing`);
          }
          await conserved(ex);
        }
        ex.finish();
        await conserved(ex);
        const end = await balances(ex);
        assert.deepEqual([end.b, end.qUsed], [0n, 0n], "finish cancels everything and sells what is held");
      },
    ),
    { numRuns: 120 },
  );
});

test("starting balances that are not whole units are refused naming the option and value, not rounded", () => {
  const b = bars([[100, 101, 99, 100]]);
  assert.throws(() => new ReplayExchange({ bars: b, quote: 10_000.0000001 }), /^RangeError: quote: 10000.0000001 must be a non-negative whole number of USDT units \(0.000001\)/);
  assert.throws(() => new ReplayExchange({ bars: b, base: 0.123456789 }), /^RangeError: base: 0.123456789 .* BTC units \(1e-8\)/);
  assert.throws(() => new ReplayExchange({ bars: b, minCost: -5 }), /^RangeError: minCost: -5/);
  assert.doesNotThrow(() => new ReplayExchange({ bars: b, quote: 0.01, base: 0.12345678, minCost: 5 }));
});
