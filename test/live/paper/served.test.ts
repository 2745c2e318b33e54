// End to end: the paper broker with its market data from `arena serve` through CcxtExchange; paper orders fill against the served crowd's real trades, and the venue never sees one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPaperBroker } from "../../../live/paper/broker.ts";
import type { Trade } from "../../../market/exchange.ts";
import { connect } from "../ccxt-exchange-harness.ts";
import { ALICE, serve } from "../serve-fixture.ts";
import { tempDir } from "./scripted-feed.ts";

const SYM = "BTC/USDT";
/** Wall time the crowd gets to trade through a resting paper order. */
const WAIT_MS = 30_000;

test("paper orders on arena serve's data: a market order fills at the served book's prices, resting orders fill only by the crowd's trades beyond their queue", async () => {
  const s = await serve({ speed: 60 });
  const data = await connect(s, ALICE);
  const b = await createPaperBroker({
    data, symbol: SYM, balances: { BTC: 1, USDT: 100_000 }, costs: { makerFee: 0.001, takerFee: 0.001, latencyMs: 5, slippageBps: 0 }, journalDir: tempDir(),
  });
  const seen: Trade[] = [];
  let watching = true;
  const tape = (async () => {
    while (watching) seen.push(...await b.watchTrades(SYM).catch(() => []));
  })();
  try {
    const m = b.markets[SYM];
    const amt = Number((Math.ceil(0.01 / m.precision.amount) * m.precision.amount).toPrecision(12));
    let book = await b.fetchOrderBook(SYM, 5);
    for (let i = 0; i < 50 && (book.bids.length === 0 || book.asks.length === 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      book = await b.fetchOrderBook(SYM, 5);
    }
    assert.ok(book.bids.length > 0 && book.asks.length > 0, "the served book has both sides");

    const mkt = await b.createOrder(SYM, "market", "buy", amt);
    assert.equal(mkt.filled, amt, "a small market buy fills");
    const lo = book.asks[0][0];
    assert.ok(mkt.average! >= lo * 0.99 && mkt.average! <= lo * 1.01, `filled near the served ask ${lo}: ${mkt.average}`);

    const bid = await b.createOrder(SYM, "limit", "buy", amt, book.bids[0][0]);
    const ask = await b.createOrder(SYM, "limit", "sell", amt, book.asks[0][0]);
    const placedAt = b.milliseconds();
    const t0 = Date.now();
    let filled: { id: string; price: number; side: string; filled: number }[] = [];
    while (Date.now() - t0 < WAIT_MS) {
      await new Promise((r) => setTimeout(r, 200));
      filled = (await Promise.all([bid, ask].map((o) => b.fetchOrder(o.id, SYM)))).filter((o) => o.filled > 0).map((o) => ({ id: o.id, price: o.price!, side: o.side, filled: o.filled }));
      if (filled.length > 0) break;
    }
    assert.ok(filled.length > 0, `a resting paper order filled within ${WAIT_MS} ms of the crowd trading`);
    for (const f of filled) {
      // The crowd's volume at or through its price after it was placed covers its fills (and the queue ahead of it).
      const reaching = seen.filter((t) => t.timestamp > placedAt && (f.side === "buy" ? t.price <= f.price : t.price >= f.price)).reduce((v, t) => v + t.amount, 0);
      assert.ok(reaching + 1e-9 >= f.filled, `order ${f.id} filled ${f.filled} with only ${reaching} traded at or through ${f.price}`);
      const fills = (await b.fetchMyTrades(SYM)).filter((t) => t.order === f.id);
      assert.ok(fills.every((t) => t.price === f.price && t.takerOrMaker === "maker"), "resting fills are at the order's own price, as maker");
    }
    // The venue never saw an order from the paper broker.
    assert.deepEqual(await data.fetchOpenOrders(SYM), []);
    assert.deepEqual(await data.fetchMyTrades(SYM), []);
    const venue = await data.fetchBalance();
    assert.deepEqual([venue.total.BTC, venue.total.USDT], [ALICE.base, ALICE.quote]);
  } finally {
    watching = false;
    await b.close();
    await tape;
    await data.close();
    await s.close();
  }
});
