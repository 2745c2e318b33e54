// arena serve, public side: an unmodified ccxt binance client loads the market and reads book, trades, candles, ticker and time, all on loopback.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_INSTRUMENT } from "../../market/instrument.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { client, serve, untilBook, type Client } from "./serve-fixture.ts";

describe("arena serve: market data through ccxt", () => {
  let s: RunningServer;
  let c: Client;
  before(async () => {
    s = await serve({ speed: 120 });
    c = client(s.url);
  });
  after(async () => {
    await s.close();
  });

  it("loadMarkets asks only exchangeInfo, and the market's precision and limits are the instrument's", async () => {
    const markets = await c.ex.loadMarkets();
    assert.deepEqual(c.urls, [`${s.url}/api/v3/exchangeInfo`]);
    const m = markets["BTC/USDT"]!;
    assert.equal(m.id, "BTCUSDT");
    assert.equal(m.spot, true);
    assert.equal(m.precision.price, DEFAULT_INSTRUMENT.tickSize);
    assert.equal(m.precision.amount, DEFAULT_INSTRUMENT.lotSize);
    assert.equal(m.limits.amount!.min, DEFAULT_INSTRUMENT.lotSize);
    assert.equal(m.limits.cost!.min, DEFAULT_INSTRUMENT.minNotional);
    assert.equal(m.taker, DEFAULT_INSTRUMENT.takerFeePpm / 1e6);
  });

  it("the book has sorted sides that do not cross, on the tick and lot grid", async () => {
    await untilBook(c);
    const b = await c.ex.fetchOrderBook("BTC/USDT", 20);
    assert.ok(b.bids.length > 0 && b.asks.length > 0 && b.bids.length <= 20);
    assert.ok(b.bids[0][0]! < b.asks[0][0]!, "best bid below best ask");
    for (let i = 1; i < b.bids.length; i++) assert.ok(b.bids[i][0]! < b.bids[i - 1][0]!);
    for (let i = 1; i < b.asks.length; i++) assert.ok(b.asks[i][0]! > b.asks[i - 1][0]!);
    for (const [p, q] of [...b.bids, ...b.asks]) {
      assert.ok(Math.abs(p! * 100 - Math.round(p! * 100)) < 1e-6, `price ${p} on the 0.01 tick`);
      assert.ok(Math.abs(q! * 1e4 - Math.round(q! * 1e4)) < 1e-6, `amount ${q} on the 0.0001 lot`);
    }
  });

  it("trades, candles, ticker and time come from the simulated clock and tape", async () => {
    // Two simulated minutes at least, so a candle has closed.
    await new Promise((r) => setTimeout(r, 1200));
    const trades = await c.ex.fetchTrades("BTC/USDT", undefined, 10);
    assert.ok(trades.length > 0 && trades.length <= 10);
    for (let i = 1; i < trades.length; i++) assert.ok(trades[i].timestamp! >= trades[i - 1].timestamp!);
    const candles = await c.ex.fetchOHLCV("BTC/USDT", "1m", undefined, 5);
    assert.ok(candles.length >= 2);
    for (const [t, o, h, l, cl] of candles) {
      assert.equal(t! % 60_000, 0);
      assert.ok(l! <= Math.min(o!, cl!) && h! >= Math.max(o!, cl!));
    }
    const tk = await c.ex.fetchTicker("BTC/USDT");
    assert.ok(tk.last! > 0);
    assert.ok(tk.bid! < tk.ask!);
    assert.ok(tk.baseVolume! > 0);
    const time = await c.ex.fetchTime();
    // quiet-crash starts at 2023-03-01; a few simulated minutes have passed.
    const epoch = Date.UTC(2023, 2, 1);
    assert.ok(time! > epoch && time! < epoch + 3_600_000, `server time ${time} is simulated time`);
    await assert.rejects(c.ex.fetchOHLCV("BTC/USDT", "1h"), (e: Error) => e.message.includes("-1120"));
  });

  it("every answer carries X-MBX-USED-WEIGHT-1M, refusals included, and the weight adds up", async () => {
    const paths = ["/api/v3/depth?symbol=BTCUSDT&limit=5", "/api/v3/time", "/api/v3/account", "/api/v3/nowhere", "/api/v3/depth?symbol=ETHBTC"];
    let seen: number[] = [];
    // The meter counts per wall-clock minute: measure again if one ended in between.
    for (let attempt = 0; attempt < 2; attempt++) {
      const minute = Math.floor(Date.now() / 60_000);
      seen = [];
      for (const p of paths) {
      const r = await fetch(s.url + p);
      await r.text();
      const h = r.headers.get("x-mbx-used-weight-1m");
      assert.ok(h !== null && /^\d+$/.test(h), `${p}: header ${h}`);
      seen.push(Number(h));
      }
      if (Math.floor(Date.now() / 60_000) === minute) break;
    }
    // depth limit 5 weighs 5, time 1, account 20 (refused unsigned, still counted), unknown path 1, depth 5.
    assert.deepEqual(seen.slice(1).map((w, i) => w - seen[i]), [1, 20, 1, 5]);
  });

  it("no request leaves loopback: the server listens on 127.0.0.1 only and got every request ccxt made", async () => {
    const before = { server: s.requests, client: c.urls.length };
    await c.ex.fetchOpenOrders("BTC/USDT");
    await c.ex.fetchBalance();
    await c.ex.fetchTicker("BTC/USDT");
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(c.urls.length > 8);
    for (const u of c.urls) assert.ok(u.startsWith(`${s.url}/api/v3/`), `${u} goes to the served venue`);
    assert.equal(s.requests - before.server, c.urls.length - before.client);
    assert.equal(c.urls.length - before.client, 3);
  });
});
