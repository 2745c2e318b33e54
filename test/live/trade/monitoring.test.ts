// The monitor wired around the ccxt adapter as `arena trade --metrics-port` does: requests counted by endpoint, market data fresh, and /health 503 naming the venue once it stops answering.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createCcxtExchange } from "../../../live/ccxt-exchange.ts";
import { startTradingMonitor } from "../../../live/monitoring/monitor.ts";
import type { RunningServer } from "../../../live/serve/server.ts";
import { MonitoredExchange } from "../../../live/trade/monitored-exchange.ts";
import { faultProxy } from "../fault-proxy.ts";
import { ALICE, client, serve, untilBook } from "../serve-fixture.ts";

describe("arena trade's monitoring around the venue", () => {
  let s: RunningServer;
  before(async () => {
    s = await serve({ speed: 30 });
    await untilBook(client(s.url));
  });
  after(async () => {
    await s.close();
  });

  it("counts each call by endpoint and code, keeps /health at 200 while the venue answers, and answers 503 with the reason once it is unreachable", async () => {
    const proxy = await faultProxy(s.url);
    proxy.faults = false;
    const ex = await createCcxtExchange({
      id: "binance", symbol: "BTC/USDT", apiKey: ALICE.key, secret: ALICE.secret, urls: { public: `${proxy.url}/api/v3`, private: `${proxy.url}/api/v3` },
      options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } }, rateLimitMs: 2, timeoutMs: 2000, retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 10 },
    });
    const { monitor, server } = await startTradingMonitor({ port: 0, maxDataAgeMs: 60_000 });
    try {
      const m = new MonitoredExchange(ex, monitor);
      await m.fetchOrderBook("BTC/USDT", 5);
      await m.fetchBalance();
      const ok = await fetch(`${server.url}/health`);
      assert.equal(ok.status, 200, await ok.text());
      const text = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(text, /^api_requests_total\{endpoint="fetchOrderBook",code="200"\} 1$/m);
      assert.match(text, /^api_requests_total\{endpoint="fetchBalance",code="200"\} 1$/m);
      assert.match(text, /^data_latency_seconds_count 1$/m);

      await proxy.close();
      await assert.rejects(m.fetchOrderBook("BTC/USDT", 5));
      const down = await fetch(`${server.url}/health`);
      assert.equal(down.status, 503);
      const body = (await down.json()) as { reasons: string[] };
      assert.deepEqual(body.reasons, ["venue: the venue is unreachable: fetchOrderBook failed with network"]);
      assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^api_errors_total\{endpoint="fetchOrderBook",code="network"\} 1$/m);
    } finally {
      await server.close();
      await ex.close();
      await proxy.close().catch(() => {});
    }
  });
});
