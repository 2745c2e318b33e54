// ReplayExchange: the Exchange port over bars. Conformance expectations that apply to one client on history,
// the fill model (next open, slippage, commission; limits when touched), no look-ahead, and the same trades as runBacktest.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BadRequest, ExchangeError, InsufficientFunds, InvalidOrder, OrderNotFound } from "../../../market/exchange.ts";
import { ReplayExchange } from "../../../experiments/backtest/replay-exchange.ts";
import { runBacktest } from "../../../experiments/backtest/runner.ts";
import { bars, MIN, near, Scripted, T0 } from "./helpers.ts";

const SYM = "BTC/USDT";
const ROWS = [[30_000, 30_100, 29_900, 30_000], [30_010, 30_200, 29_950, 30_100], [30_100, 30_150, 29_800, 29_900], [29_900, 30_400, 29_850, 30_300], [30_300, 30_300, 30_000, 30_050]] as const;

/** A replay with 10,000 USDT and 1 BTC, advanced to the first bar's close. */
async function fresh(opts: { fill?: { commission: number; slippage: number } } = {}) {
  const ex = new ReplayExchange({ bars: bars(ROWS), fill: opts.fill ?? { commission: 0.001, slippage: 0.0005 }, quote: 10_000, base: 1 });
  await ex.advance();
  return ex;
}

function refusal(cls: new (...a: never[]) => ExchangeError, reason: string, ...fragments: string[]) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.equal((e as ExchangeError).reason, reason);
    for (const f of fragments) assert.ok((e as Error).message.includes(f), `"${(e as Error).message}" names ${f}`);
    return true;
  };
}

const numbers = async (ex: ReplayExchange) => {
  const b = await ex.fetchBalance();
  return [b.free.BTC, b.used.BTC, b.total.BTC, b.free.USDT, b.used.USDT, b.total.USDT];
};

test("has and markets describe the port; every method exists; watchTrades is declared absent and refuses", async () => {
  const ex = await fresh();
  for (const m of ["createOrder", "cancelOrder", "editOrder", "fetchOrder", "fetchOpenOrders", "fetchBalance", "fetchOrderBook", "fetchMyTrades", "fetchOHLCV", "watchOrderBook", "watchMyTrades", "watchOrders"] as const) {
    assert.equal(ex.has[m], true, m);
    assert.equal(typeof ex[m], "function");
  }
  assert.equal(ex.has.watchTrades, false);
  await assert.rejects(ex.watchTrades(SYM), refusal(BadRequest, "not_supported"));
  const m = ex.markets[SYM];
  assert.equal(`${m.base}/${m.quote}`, SYM);
  assert.deepEqual([m.precision.price, m.precision.amount, m.maker, m.taker], [0.01, 1e-8, 0.001, 0.001]);
});

test("a limit order rests: open, listed, fetchable; cancel releases it; a second cancel and unknown ids are refused", async () => {
  const ex = await fresh();
  const before = await numbers(ex);
  const o = await ex.createOrder(SYM, "limit", "buy", 0.1, 29_000);
  assert.deepEqual([o.status, o.filled, o.remaining, o.price, o.average], ["open", 0, 0.1, 29_000, undefined]);
  assert.equal(o.datetime, new Date(o.timestamp).toISOString());
  assert.deepEqual((await ex.fetchOpenOrders(SYM)).map((x) => x.id), [o.id]);
  assert.equal((await ex.fetchOrder(o.id, SYM)).status, "open");
  const b = await ex.fetchBalance();
  near(b.used.USDT, 0.1 * 29_000 * 1.001, "the buy reserves its value plus commission");
  near(b.free.USDT + b.used.USDT, b.total.USDT, "free + used = total");
  const c = await ex.cancelOrder(o.id, SYM);
  assert.equal(c.status, "canceled");
  assert.deepEqual(await numbers(ex), before, "canceling releases every reservation");
  await assert.rejects(ex.cancelOrder(o.id, SYM), refusal(OrderNotFound, "order_closed"));
  await assert.rejects(ex.cancelOrder("987654", SYM), refusal(OrderNotFound, "unknown_order"));
});

test("bad orders are refused with the reason, naming field and value, and change nothing", async () => {
  const ex = await fresh();
  const before = await numbers(ex);
  await assert.rejects(ex.createOrder(SYM, "limit", "buy", 0.1, 29_000.005), refusal(InvalidOrder, "tick_size", "price", "29000.005"));
  await assert.rejects(ex.createOrder(SYM, "limit", "buy", 0.123456785, 29_000), refusal(InvalidOrder, "lot_size", "amount", "0.123456785"));
  for (const bad of [NaN, -1, 0, Infinity]) {
    await assert.rejects(ex.createOrder(SYM, "limit", "buy", bad, 29_000), refusal(InvalidOrder, "invalid_size", "amount", String(bad)));
    await assert.rejects(ex.createOrder(SYM, "market", "sell", bad), refusal(InvalidOrder, "invalid_size", "amount", String(bad)));
    await assert.rejects(ex.createOrder(SYM, "limit", "buy", 0.1, bad), refusal(InvalidOrder, "invalid_price", "price", String(bad)));
  }
  await assert.rejects(ex.createOrder(SYM, "limit", "buy", 0.1), refusal(InvalidOrder, "invalid_price", "price", "undefined"));
  await assert.rejects(ex.createOrder("ETH/USDT", "limit", "buy", 0.1, 29_000), refusal(BadRequest, "unknown_symbol", "symbol", "ETH/USDT"));
  await assert.rejects(ex.fetchOrderBook("ETH/USDT"), refusal(BadRequest, "unknown_symbol"));
  await assert.rejects(ex.createOrder(SYM, "limit", "buy", 1, 29_000), refusal(InsufficientFunds, "insufficient_balance"));
  await assert.rejects(ex.createOrder(SYM, "market", "sell", 2), refusal(InsufficientFunds, "insufficient_balance"));
  // The book is the first bar's close 30,000 ± 0.05%: bid 29,985, ask 30,015.
  await assert.rejects(ex.createOrder(SYM, "limit", "buy", 0.1, 30_015, { postOnly: true }), refusal(InvalidOrder, "post_only_would_cross", "30015"));
  await assert.rejects(ex.createOrder(SYM, "limit", "sell", 0.1, 29_985, { timeInForce: "PO" }), refusal(InvalidOrder, "post_only_would_cross", "29985"));
  const o = await ex.createOrder(SYM, "limit", "buy", 0.1, 29_000, { clientOrderId: "dup-1" });
  await assert.rejects(ex.createOrder(SYM, "limit", "buy", 0.1, 28_000, { clientOrderId: "dup-1" }), refusal(InvalidOrder, "duplicate_client_order_id", "clientOrderId", "dup-1"));
  await assert.rejects(ex.editOrder(o.id, SYM, "limit", "buy", 0.1, 29_000.001), refusal(InvalidOrder, "tick_size", "price"));
  assert.deepEqual(((await ex.fetchOrder(o.id, SYM)) as { price: number }).price, 29_000);
  await ex.cancelOrder(o.id, SYM);
  assert.deepEqual(await numbers(ex), before);
  assert.deepEqual(await ex.fetchMyTrades(SYM), []);
});

test("a market order placed at a close fills at the next open with slippage and commission", async () => {
  const ex = await fresh();
  const o = await ex.createOrder(SYM, "market", "buy", 0.1);
  assert.equal(o.status, "open", "nothing fills at a price already seen");
  await ex.advance();
  const f = await ex.fetchOrder(o.id, SYM);
  assert.equal(f.status, "closed");
  assert.equal(f.average, 30_010 * 1.0005, "bar 1's open plus slippage, the runner's price");
  // Value 0.1 × 30,025.005 = 3,002.5005 USDT; commission 3.0025005 rounds down to the micro-USDT, as the venue's fees do.
  assert.deepEqual([f.cost, f.fee.cost], [3_002.5005, 3.0025]);
  const [t] = await ex.fetchMyTrades(SYM);
  assert.deepEqual([t.timestamp, t.side, t.takerOrMaker, t.amount, t.cost, t.fee?.cost], [T0 + MIN, "buy", "taker", 0.1, 3_002.5005, 3.0025]);
  const b = await ex.fetchBalance();
  assert.equal(b.total.BTC, 1.1, "base received, exactly");
  assert.equal(b.total.USDT, 6_994.497, "quote paid, exactly: 10,000 - 3,002.5005 - 3.0025");
});

test("a resting limit fills when a later bar reaches it: at the limit, or at the open when it gapped through", async () => {
  const ex = await fresh({ fill: { commission: 0, slippage: 0 } });
  const buy = await ex.createOrder(SYM, "limit", "buy", 0.1, 29_850);
  const sell = await ex.createOrder(SYM, "limit", "sell", 0.1, 29_990);
  await ex.advance(); // bar 1: opens 30,010 (above the sell's 29,990: fills at the open), low 29,950 > 29,850
  assert.equal((await ex.fetchOrder(sell.id, SYM)).average, 30_010);
  assert.equal((await ex.fetchOrder(buy.id, SYM)).status, "open");
  await ex.advance(); // bar 2: low 29,800 reaches 29,850
  const f = await ex.fetchOrder(buy.id, SYM);
  assert.deepEqual([f.status, f.average], ["closed", 29_850]);
  assert.equal((await ex.fetchMyTrades(SYM)).every((t) => t.takerOrMaker === "maker"), true);
});

test("market data never run ahead: fetchOHLCV ends at the last closed bar; the book is built from it; watchOrderBook waits for the next", async () => {
  const ex = new ReplayExchange({ bars: bars(ROWS), fill: { commission: 0.001, slippage: 0.0005 } });
  await assert.rejects(ex.fetchOrderBook(SYM), refusal(BadRequest, "no_market_data"));
  await ex.advance();
  await ex.advance();
  const rows = await ex.fetchOHLCV(SYM);
  assert.deepEqual(rows.map((r) => r[0]), [T0, T0 + MIN]);
  assert.deepEqual(await ex.fetchOHLCV(SYM, undefined, undefined, 1), [[T0 + MIN, 30_010, 30_200, 29_950, 30_100, 1]]);
  assert.deepEqual((await ex.fetchOHLCV(SYM, "1m", T0 + MIN)).length, 1);
  await assert.rejects(ex.fetchOHLCV(SYM, "1h"), refusal(BadRequest, "unsupported_timeframe", "1h"));
  await assert.rejects(ex.fetchOHLCV(SYM, undefined, undefined, 0), refusal(BadRequest, "bad_argument", "limit"));
  assert.equal(ex.milliseconds(), T0 + 2 * MIN, "the clock reads the close of the last closed bar");
  const ob = await ex.fetchOrderBook(SYM);
  assert.deepEqual([ob.bids, ob.asks, ob.timestamp], [[[30_084.95, 1]], [[30_115.05, 1]], T0 + MIN]);
  let seen = false;
  const w = ex.watchOrderBook(SYM).then((b) => ((seen = true), b));
  await Promise.resolve();
  assert.equal(seen, false, "no new bar yet");
  await ex.advance();
  assert.equal((await w).timestamp, T0 + 2 * MIN);
});

test("the same scripted decisions give the same trades through ReplayExchange as through runBacktest", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.double({ min: 100, max: 200, noNaN: true }), fc.double({ min: 100, max: 200, noNaN: true })), { minLength: 2, maxLength: 40 }),
      fc.stringMatching(/^[EX.]{0,40}$/),
      async (oc, script) => {
        const b = bars(oc.map(([o, c]) => [o, Math.max(o, c) + 1, Math.min(o, c) - 1, c] as const));
        const fill = { commission: 0.001, slippage: 0.0005 };
        const fast = runBacktest({ pairs: [{ pair: SYM, bars: b }], strategies: [new Scripted(script)], fill, cash: 10_000 });
        // The same decisions as a promise-API bot: all-in by quote on "E", sell everything on "X".
        const ex = new ReplayExchange({ bars: b, fill, quote: 10_000 });
        let i = 0;
        await ex.run(async () => {
          const ch = script[i++];
          const bal = await ex.fetchBalance();
          const pending = (await ex.fetchOpenOrders(SYM)).length > 0;
          if (ch === "E" && bal.total.BTC === 0 && !pending) await ex.createOrder(SYM, "market", "buy", 0, undefined, { cost: bal.free.USDT });
          else if (ch === "X" && bal.free.BTC > 0 && !pending) await ex.createOrder(SYM, "market", "sell", bal.free.BTC);
        });
        const fills = await ex.fetchMyTrades(SYM);
        assert.equal(fills.length, 2 * fast.trades.length);
        for (const [k, t] of fast.trades.entries()) {
          const [buy, sell] = [fills[2 * k], fills[2 * k + 1]];
          assert.deepEqual([buy.side, buy.timestamp, sell.side, sell.timestamp], ["buy", t.entryTime, "sell", t.exitTime]);
          // Both price fills by the same functions (market/fills/costs.ts): the same doubles.
          assert.equal(buy.price, t.entryPrice, "entry price");
          assert.equal(sell.price, t.exitPrice, "exit price");
          // The replay buys whole lots (1e-8 BTC) with cash settled in micro-USDT; the runner rounds
          // nothing. Its cash differs by those roundings (micro-units), its size by a few satoshis.
          assert.ok(Math.abs(buy.amount - t.size) <= 5e-8, `size ${buy.amount} vs ${t.size}`);
        }
        const bal = await ex.fetchBalance();
        // Per fill: the value rounds by under 1e-6 USDT, the fee by under 1e-6, the lot dust left in cash
        // (under 1 satoshi, at most 200 USDT/BTC here) by under 2e-6 of exposure.
        assert.ok(Math.abs(bal.total.USDT - fast.finalEquity) <= 4e-6 * (2 * fast.trades.length + 1), `equity ${bal.total.USDT} vs ${fast.finalEquity}`);
        assert.equal(bal.total.BTC, 0);
      },
    ),
    { numRuns: 60 },
  );
});
