// The kill switch against `arena serve`: the circuit breaker tripping in a session cancels every open order, flattens and stops, saying why; killOrders reaches zero open orders through 503s, dropped connections and lost cancel answers.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Bot, BotContext } from "../../../agents/bot.ts";
import { parseRiskConfig, RiskManager } from "../../../agents/risk/risk-manager.ts";
import { createCcxtExchange, type CcxtExchange } from "../../../live/ccxt-exchange.ts";
import { TradingMonitor } from "../../../live/monitoring/monitor.ts";
import type { RunningServer } from "../../../live/serve/server.ts";
import { KillSwitch } from "../../../live/trade/control.ts";
import { killOrders } from "../../../live/trade/kill.ts";
import { JsonlLog } from "../../../live/trade/log.ts";
import { MonitoredExchange } from "../../../live/trade/monitored-exchange.ts";
import { runSession } from "../../../live/trade/session.ts";
import { Rng } from "../../../sim/rng.ts";
import { faultProxy } from "../fault-proxy.ts";
import { ALICE, client, serve, untilBook } from "../serve-fixture.ts";

const SYM = "BTC/USDT";

/** Rests `n` buy orders at 80% of the best bid, and buys `buy` BTC at market, through the test's own client. */
async function rest(url: string, n: number, buy: number): Promise<void> {
  const c = client(url);
  await c.ex.loadMarkets();
  const bid = Number((await c.ex.fetchOrderBook(SYM, 5)).bids[0][0]);
  for (let i = 0; i < n; i++) await c.ex.createOrder(SYM, "limit", "buy", 0.01, Math.round(bid * (0.8 - i * 0.01)));
  if (buy > 0) await c.ex.createOrder(SYM, "market", "buy", buy);
}

/** What the venue shows through a separate client: open orders and BTC held. */
async function venueView(url: string): Promise<{ open: number; btc: number }> {
  const c = client(url);
  await c.ex.loadMarkets();
  const [open, bal] = await Promise.all([c.ex.fetchOpenOrders(SYM), c.ex.fetchBalance()]);
  return { open: open.length, btc: Number((bal.total as unknown as Record<string, number>).BTC) };
}

const adapter = (url: string): Promise<CcxtExchange> => createCcxtExchange({
  id: "binance", symbol: SYM, apiKey: ALICE.key, secret: ALICE.secret, urls: { public: `${url}/api/v3`, private: `${url}/api/v3` },
  options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } }, rateLimitMs: 2, timeoutMs: 3000,
  retry: { retries: 4, baseDelayMs: 20, maxDelayMs: 100 },
});

/** A bot whose risk manager sees its equity halve on the second wake: the circuit breaker trips. */
class CrashingBot implements Bot {
  readonly risk = new RiskManager(parseRiskConfig({ circuitBreakerPct: 0.1 }));
  private n = 0;
  async start(ctx: BotContext): Promise<void> {
    await ctx.exchange.createOrder(SYM, "market", "buy", 0.2);
    ctx.wakeIn(50);
  }
  wake(ctx: BotContext): void {
    this.risk.observe(ctx.now + this.n, this.n++ === 0 ? 100_000 : 50_000);
    ctx.wakeIn(50);
  }
}

describe("the kill switch against arena serve", () => {
  let s: RunningServer;
  before(async () => {
    s = await serve({ speed: 30 });
    await untilBook(client(s.url));
  });
  after(async () => {
    await s.close();
  });

  it("the circuit breaker tripping cancels every open order, flattens back to the starting BTC, stops the session and says why; the monitor shows it open", async () => {
    await rest(s.url, 3, 0);
    const start = await venueView(s.url);
    assert.equal(start.open, 3);
    const ex = await adapter(s.url);
    const monitor = new TradingMonitor();
    const log = new JsonlLog(join(mkdtempSync(join(tmpdir(), "arena-kill-")), "s.jsonl"));
    let printed = "";
    const sw = new KillSwitch();
    const answer = sw.pull.bind(sw);
    try {
      const r = await runSession({
        botName: "crash", bot: new CrashingBot(), exchange: new MonitoredExchange(ex, monitor), symbol: SYM, rng: Rng.root(1).fork("b"), log, onStop: "leave",
        signals: false, describe: {}, out: (l) => (printed += l), monitor, killSwitch: sw, onCircuitBreaker: "stop", flattenOnBreaker: true, durationMs: 20_000,
      });
      assert.equal(r.stoppedBy, "circuit-breaker");
      assert.match(r.killed?.by ?? "", /^circuit-breaker: equity 50000\.00 is 50% below peak 100000\.00 \(limit 10%\)/);
      assert.equal(r.open, 0);
      assert.ok(r.canceled >= 3, `canceled ${r.canceled}`);
      assert.match(printed, /arena trade: kill switch \(circuit-breaker: equity 50000\.00 .*\): canceled \d+ orders on BTC\/USDT, 0 open orders left; flattened: sell 0\.2 BTC at market/);
      assert.match(printed, /arena trade: stopped \(circuit-breaker: .*\) after \d+ wakes and \d+ orders; open orders canceled by the kill switch \(\d+\), 0 left/);
      // A later `arena kill` is answered with the same stop line.
      assert.match(await answer({ by: "arena kill", flatten: false }), /stopped \(circuit-breaker/);
      const text = await monitor.metrics.registry.metrics();
      assert.match(text, /^trading_circuit_breaker_open 1$/m);
      assert.match(text, /^trading_trades_total\{side="sell"\} [1-9]/m);
      assert.match(text, /^api_requests_total\{endpoint="cancelOrder",code="200"\} [3-9]/m);
      assert.match(text, /^trading_order_latency_seconds_count\{action="create"\} [2-9]/m);
      assert.match(text, /^trading_decision_latency_seconds_count [1-9]/m);
      assert.match(text, /^trading_equity [1-9]/m);
    } finally {
      log.close();
      await ex.close();
    }
    const end = await venueView(s.url);
    assert.equal(end.open, 0, "no open order on the venue");
    assert.ok(Math.abs(end.btc - start.btc) < 1e-3, `BTC back to ${start.btc}: ${end.btc}`);
  });

  it("killOrders reaches zero open orders and flattens through 503s, dropped connections and cancels whose answer was lost", async () => {
    await rest(s.url, 5, 0.05);
    const start = await venueView(s.url);
    assert.equal(start.open, 5);
    const proxy = await faultProxy(s.url);
    const ex = await adapter(proxy.url);
    try {
      const k = await killOrders(ex, SYM, { flattenTo: start.btc - 0.05, pauseMs: 20 });
      assert.equal(k.open, 0, JSON.stringify(k));
      assert.equal(k.flatten?.side, "sell");
      assert.ok(proxy.injected.unavailable >= 1 && proxy.injected.dropped >= 1 && proxy.injected.lostAck >= 1, JSON.stringify(proxy.injected));
    } finally {
      await ex.close();
      await proxy.close();
    }
    const end = await venueView(s.url);
    assert.equal(end.open, 0);
    assert.ok(Math.abs(end.btc - (start.btc - 0.05)) < 1e-3, `BTC ${end.btc}, expected ${start.btc - 0.05}`);
  });
});
