// TradingMonitor, the API `arena trade` calls: fills, marks and latencies move the seed's metrics and ours; /health fails with the reason on stale data or an unreachable venue.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTradingMonitor, TradingMonitor } from "../../../live/monitoring/monitor.ts";
import type { MetricsServer } from "../../../live/monitoring/server.ts";
import { parseExposition, scrape, valueOf, type Exposition } from "./prom-text.ts";

/** A controllable wall clock, Unix ms. */
function clock(t0 = Date.UTC(2024, 0, 1, 12)) {
  let t = t0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function read(m: TradingMonitor): Promise<Exposition> {
  return parseExposition(await m.metrics.registry.metrics());
}

/** A ccxt-style error: its class name is what the monitor labels and classifies. */
class RequestTimeout extends Error {}
class InsufficientFunds extends Error {}

describe("TradingMonitor", () => {
  it("exposes the seed's metrics under the seed's names and ours, each with a help text", async () => {
    const e = await read(new TradingMonitor({ nowMs: clock().now }));
    const seed = ["trading_pnl_total", "trading_trades_total", "trading_win_rate", "trading_open_positions", "data_validation_failures_total", "data_latency_seconds", "ml_prediction_latency_seconds", "qdrant_search_latency_seconds", "service_health_status", "api_requests_total", "api_errors_total"];
    const ours = ["trading_unrealized_pnl", "trading_exposure", "trading_drawdown_ratio", "trading_daily_pnl_ratio", "trading_regime", "trading_decision_latency_seconds", "trading_order_latency_seconds", "trading_circuit_breaker_open", "trading_equity", "data_last_update_timestamp_seconds"];
    for (const name of [...seed, ...ours]) assert.ok((e.help.get(name) ?? "").length > 10, `${name} is registered with a help text`);
    assert.equal(e.type.get("trading_trades_total"), "counter");
    assert.equal(e.type.get("trading_decision_latency_seconds"), "histogram");
  });

  it("fills count by side; closed trades' PnL adds up and sets the win rate", async () => {
    const m = new TradingMonitor({ nowMs: clock().now });
    m.onFill({ side: "buy" });
    m.onFill({ side: "sell", realisedPnl: 30 });
    m.onFill({ side: "buy" });
    m.onFill({ side: "sell", realisedPnl: -10 });
    m.onFill({ side: "sell", realisedPnl: 5 });
    const e = await read(m);
    assert.equal(valueOf(e, "trading_trades_total", { side: "buy" }), 2);
    assert.equal(valueOf(e, "trading_trades_total", { side: "sell" }), 3);
    assert.equal(valueOf(e, "trading_pnl_total"), 25);
    assert.equal(valueOf(e, "trading_win_rate"), 2 / 3);
  });

  it("marks give equity, drawdown from the peak, exposure, and the change since the UTC day's first mark", async () => {
    const c = clock(Date.UTC(2024, 0, 1, 23));
    const m = new TradingMonitor({ nowMs: c.now });
    m.onEquity({ equity: 1000, unrealisedPnl: 0, exposure: 500, openPositions: 1 });
    m.onEquity({ equity: 1200, unrealisedPnl: 200, exposure: 600, openPositions: 1 });
    m.onEquity({ equity: 900, unrealisedPnl: -100, exposure: 450, openPositions: 1 });
    let e = await read(m);
    assert.equal(valueOf(e, "trading_equity"), 900);
    assert.equal(valueOf(e, "trading_unrealized_pnl"), -100);
    assert.equal(valueOf(e, "trading_exposure"), 450);
    assert.equal(valueOf(e, "trading_exposure_ratio"), 0.5);
    assert.equal(valueOf(e, "trading_open_positions"), 1);
    assert.equal(valueOf(e, "trading_drawdown_ratio"), 0.25);
    assert.equal(valueOf(e, "trading_daily_pnl_ratio"), -0.1);
    c.advance(2 * 3_600_000); // past midnight UTC: the day starts again from the next mark
    m.onEquity({ equity: 880 });
    e = await read(m);
    assert.equal(valueOf(e, "trading_daily_pnl_ratio"), 0);
    assert.ok(Math.abs(valueOf(e, "trading_drawdown_ratio")! - (1 - 880 / 1200)) < 1e-12, "the peak outlives the day");
  });

  it("latencies are given in ms and exposed in seconds; the regime is one-hot; the breaker is a 0/1 gauge", async () => {
    const m = new TradingMonitor({ nowMs: clock().now });
    m.onDecision(3);
    m.onOrder(40);
    m.onOrder(20, "cancel");
    m.onPrediction(2);
    m.onVectorSearch(1);
    m.setRegime("trending-up");
    m.setRegime("ranging");
    m.setCircuitBreaker(true);
    m.onValidationFailure("high-below-open");
    const e = await read(m);
    assert.equal(valueOf(e, "trading_decision_latency_seconds_sum"), 0.003);
    assert.equal(valueOf(e, "trading_decision_latency_seconds_bucket", { le: "0.0025" }), 0);
    assert.equal(valueOf(e, "trading_decision_latency_seconds_bucket", { le: "0.005" }), 1);
    assert.equal(valueOf(e, "trading_order_latency_seconds_sum", { action: "create" }), 0.04);
    assert.equal(valueOf(e, "trading_order_latency_seconds_count", { action: "cancel" }), 1);
    assert.equal(valueOf(e, "ml_prediction_latency_seconds_count"), 1);
    assert.equal(valueOf(e, "qdrant_search_latency_seconds_count"), 1);
    assert.equal(valueOf(e, "trading_regime", { regime: "ranging" }), 1);
    assert.equal(valueOf(e, "trading_regime", { regime: "trending-up" }), 0);
    assert.equal(valueOf(e, "trading_circuit_breaker_open"), 1);
    assert.equal(valueOf(e, "data_validation_failures_total", { rule: "high-below-open" }), 1);
    assert.equal(m.health.evaluate().status, "ok", "a deliberate stop is not a fault");
  });

  it("api() times a venue call, counts its failure by error class, marks the venue unreachable on a timeout and reachable again on the next answer", async () => {
    const m = new TradingMonitor({ nowMs: clock().now });
    assert.equal(await m.api("fetchBalance", async () => 7), 7);
    await assert.rejects(m.api("createOrder", () => Promise.reject(new InsufficientFunds("no money"))), InsufficientFunds);
    assert.equal(m.health.evaluate().status, "ok", "a refusal is an answer: the venue is reachable");
    await assert.rejects(m.api("fetchOrderBook", () => Promise.reject(new RequestTimeout("timed out"))), RequestTimeout);
    const down = m.health.evaluate();
    assert.equal(down.status, "unhealthy");
    assert.deepEqual(down.reasons, ["venue: the venue is unreachable: fetchOrderBook failed with RequestTimeout"]);
    const e = await read(m);
    assert.equal(valueOf(e, "api_requests_total", { endpoint: "fetchBalance", code: "200" }), 1);
    assert.equal(valueOf(e, "api_errors_total", { endpoint: "createOrder", code: "InsufficientFunds" }), 1);
    assert.equal(valueOf(e, "api_requests_total", { endpoint: "fetchOrderBook", code: "network" }), 1);
    assert.equal(valueOf(e, "service_health_status", { service: "venue" }), 0);
    await m.api("fetchOrderBook", async () => undefined);
    assert.equal(m.health.evaluate().status, "ok");
  });

  it("/health fails once market data is older than the limit (or none came since the start), and passes again on the next update", () => {
    const c = clock();
    const m = new TradingMonitor({ nowMs: c.now, maxDataAgeMs: 30_000 });
    assert.equal(m.health.evaluate().status, "ok", "the start is a grace period");
    c.advance(31_000);
    assert.deepEqual(m.health.evaluate().reasons, ["data: no market data received in 31.0 s (limit 30 s)"]);
    m.onMarketData(c.now() - 250);
    assert.equal(m.health.evaluate().status, "ok");
    c.advance(45_000);
    assert.deepEqual(m.health.evaluate().reasons, ["data: market data is stale: the last update is 45.0 s old (limit 30 s)"]);
    m.setHealth("journal", false, "disk full");
    assert.equal(m.health.evaluate().reasons.length, 2);
  });
});

describe("startTradingMonitor: the endpoint on loopback", () => {
  let server: MetricsServer;
  let monitor: TradingMonitor;
  const c = clock();
  before(async () => {
    ({ monitor, server } = await startTradingMonitor({ port: 0, nowMs: c.now, maxDataAgeMs: 10_000 }));
  });
  after(() => server.close());

  it("GET /metrics scrapes the registry; /health is 200 with a JSON body, then 503 with the reason when data is stale", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    monitor.onMarketData(c.now() - 120);
    monitor.onFill({ side: "buy" });
    const e = await scrape(`${server.url}/metrics`);
    assert.equal(valueOf(e, "trading_trades_total", { side: "buy" }), 1);
    assert.equal(valueOf(e, "data_latency_seconds_sum"), 0.12);
    assert.equal(valueOf(e, "data_last_update_timestamp_seconds"), c.now() / 1000);
    const ok = await fetch(`${server.url}/health`);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { status: string }).status, "ok");
    c.advance(11_000);
    const stale = await fetch(`${server.url}/health`);
    assert.equal(stale.status, 503);
    const body = (await stale.json()) as { status: string; reasons: string[]; checks: { data: { detail: { ageSeconds: number } } } };
    assert.equal(body.status, "unhealthy");
    assert.deepEqual(body.reasons, ["data: market data is stale: the last update is 11.0 s old (limit 10 s)"]);
    assert.equal(body.checks.data.detail.ageSeconds, 11);
    assert.equal((await fetch(`${server.url}/metrics`, { method: "POST" })).status, 405);
  });
});
