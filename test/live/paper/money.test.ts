// Money is conserved by the paper broker under random sequences of books, orders, cancels and trades; a restart rebuilds the same state.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Exchange } from "../../../market/exchange.ts";
import { paper, ScriptedFeed, SYMBOL, tempDir } from "./scripted-feed.ts";

const START = { BTC: 5, USDT: 200_000 };
const COSTS = { makerFee: 0.0002, takerFee: 0.001, latencyMs: 0, slippageBps: 7 };
/** Integer units of the scripted market: satoshis and micro-USDT. */
const sat = (x: number) => Math.round(x * 1e8);
const micro = (x: number) => Math.round(x * 1e6);

const price = fc.integer({ min: 29_990, max: 30_010 });
const size = fc.integer({ min: 1, max: 300 }).map((k) => k / 100);
const level = fc.tuple(price, size);
const action = fc.oneof(
  fc.record({ k: fc.constant("book" as const), bids: fc.array(level, { maxLength: 4 }), asks: fc.array(level, { maxLength: 4 }) }),
  fc.record({ k: fc.constant("limit" as const), side: fc.constantFrom("buy" as const, "sell" as const), amount: size, price, tif: fc.constantFrom("GTC" as const, "IOC" as const, "PO" as const) }),
  fc.record({ k: fc.constant("market" as const), side: fc.constantFrom("buy" as const, "sell" as const), amount: size }),
  fc.record({ k: fc.constant("cancel" as const), which: fc.nat() }),
  fc.record({ k: fc.constant("trade" as const), price, amount: size, side: fc.constantFrom("buy" as const, "sell" as const) }),
);

/** A book from random levels: bids below asks, each side sorted best first. */
function bookOf(bids: [number, number][], asks: [number, number][]): [[number, number][], [number, number][]] {
  const b = [...new Map(bids.filter(([p]) => p < 30_000)).entries()].sort((x, y) => y[0] - x[0]);
  const a = [...new Map(asks.filter(([p]) => p >= 30_000)).entries()].sort((x, y) => x[0] - y[0]);
  return [b, a];
}

/** Balances from the fills: start, less what buys paid (value and fee), plus what sells got. */
async function checkConserved(b: Exchange): Promise<void> {
  const fills = await b.fetchMyTrades(SYMBOL);
  let base = sat(START.BTC);
  let quote = micro(START.USDT);
  let fees = 0;
  for (const t of fills) {
    const fee = micro(t.fee!.cost);
    fees += fee;
    if (t.side === "buy") {
      base += sat(t.amount);
      quote -= micro(t.cost) + fee;
    } else {
      base -= sat(t.amount);
      quote += micro(t.cost) - fee;
    }
  }
  const bal = await b.fetchBalance();
  assert.equal(sat(bal.total.BTC), base, "BTC: start + bought - sold");
  assert.equal(micro(bal.total.USDT), quote, "USDT: start - paid + received (fees included)");
  assert.ok(bal.free.BTC >= 0 && bal.free.USDT >= 0, "nothing overdrawn");
  const open = await b.fetchOpenOrders(SYMBOL);
  assert.equal(sat(bal.used.BTC), open.filter((o) => o.side === "sell").reduce((s, o) => s + sat(o.remaining), 0), "open sells reserve their remainder");
  if (!open.some((o) => o.side === "buy")) assert.equal(bal.used.USDT, 0, "no open buy, no USDT reserved");
  const orderFees = (await Promise.all([...new Set(fills.map((t) => t.order!))].map((id) => b.fetchOrder(id, SYMBOL)))).reduce((s, o) => s + micro(o.fee.cost), 0);
  assert.equal(orderFees, fees, "orders' fees are their fills' fees");
}

test("under random books, orders, cancels and trades, balances + fees = start, and a restart rebuilds the same balances and open orders", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
      const feed = new ScriptedFeed([[29_999, 1]], [[30_001, 1]]);
      const dir = tempDir();
      const b = await paper(feed, { costs: COSTS, balances: START, dir });
      try {
        for (const a of actions) {
          try {
            if (a.k === "book") feed.book(...bookOf(a.bids, a.asks));
            else if (a.k === "trade") feed.print([a.price, a.amount, a.side]);
            else if (a.k === "limit") await b.createOrder(SYMBOL, "limit", a.side, a.amount, a.price, { timeInForce: a.tif });
            else if (a.k === "market") await b.createOrder(SYMBOL, "market", a.side, a.amount);
            else {
              const open = await b.fetchOpenOrders(SYMBOL);
              if (open.length > 0) await b.cancelOrder(open[a.which % open.length].id, SYMBOL);
            }
          } catch (e) {
            // Refusals are expected (funds, post-only); anything else is a bug.
            if (!(e instanceof Error && ["InsufficientFunds", "InvalidOrder"].includes(e.name))) throw e;
          }
          await feed.settled();
          await checkConserved(b);
        }
      } finally {
        await b.close();
      }
      const again = await paper(feed, { costs: COSTS, balances: { BTC: 0, USDT: 1 }, dir });
      try {
        assert.equal(again.journal.created, false);
        assert.deepEqual(await again.fetchBalance().then((x) => [x.free, x.used]), await b.fetchBalance().then((x) => [x.free, x.used]));
        assert.deepEqual(await again.fetchOpenOrders(SYMBOL), await b.fetchOpenOrders(SYMBOL));
        assert.deepEqual(await again.fetchMyTrades(SYMBOL), await b.fetchMyTrades(SYMBOL));
        await checkConserved(again);
      } finally {
        await again.close();
      }
    }),
    { numRuns: 40 },
  );
});
