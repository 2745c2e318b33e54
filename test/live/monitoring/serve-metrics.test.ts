// arena serve --metrics-port: /metrics counts requests by endpoint and code as they happen, gauges WebSocket clients and the simulation's lag; /health turns 503 with the reason when the simulation stops or lags.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { simulationCheck } from "../../../live/serve/monitoring.ts";
import type { RunningServer } from "../../../live/serve/server.ts";
import { client, serve, type Client } from "../serve-fixture.ts";
import { scrape, valueOf } from "./prom-text.ts";

const DEPTH = { endpoint: "GET /api/v3/depth", code: "200" };

describe("arena serve --metrics-port", () => {
  let s: RunningServer;
  let c: Client;
  let metricsUrl: string;
  before(async () => {
    s = await serve({ speed: 60, metricsPort: 0 });
    c = client(s.url);
    await c.ex.loadMarkets();
    metricsUrl = s.metrics!.url;
  });
  after(async () => {
    await s.close();
  });

  it("serves on loopback, names every metric with a help text, and counts requests by endpoint and HTTP code as they are answered", async () => {
    assert.match(metricsUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(s.metrics!.port, s.port);
    await c.ex.fetchOrderBook("BTC/USDT", 5);
    const first = await scrape(`${metricsUrl}/metrics`);
    for (const name of ["api_requests_total", "api_errors_total", "api_request_duration_seconds", "service_health_status", "serve_ws_clients", "serve_sim_lag_seconds", "serve_sim_time_seconds", "serve_ws_messages_sent_total", "process_resident_memory_bytes"]) {
      assert.ok((first.help.get(name) ?? "").length > 10, `${name} has a help text`);
    }
    assert.equal(first.type.get("api_requests_total"), "counter");
    assert.equal(first.type.get("api_request_duration_seconds"), "histogram");
    const before = valueOf(first, "api_requests_total", DEPTH) ?? 0;
    assert.ok(before >= 1, "the depth request is counted");
    assert.ok((valueOf(first, "api_request_duration_seconds_count", { endpoint: "GET /api/v3/depth" }) ?? 0) >= 1);
    assert.equal(valueOf(first, "api_requests_total", { endpoint: "GET /api/v3/exchangeInfo", code: "200" }), 1, "loadMarkets fetched exchangeInfo once");

    await c.ex.fetchOrderBook("BTC/USDT", 5);
    await c.ex.fetchOrderBook("BTC/USDT", 5);
    const second = await scrape(`${metricsUrl}/metrics`);
    assert.equal(valueOf(second, "api_requests_total", DEPTH), before + 2);
    assert.ok((valueOf(second, "serve_sim_time_seconds") ?? 0) > 0, "simulated time runs");
    assert.equal(valueOf(second, "service_health_status", { service: "simulation" }), 1);
  });

  it("counts refusals as errors by the venue's error code, and unknown paths under one label", async () => {
    const bad = await fetch(`${s.url}/api/v3/depth?symbol=ETHUSDT`);
    assert.equal(bad.status, 400);
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${s.url}/nowhere/${i}`)).status, 404);
    const e = await scrape(`${metricsUrl}/metrics`);
    assert.equal(valueOf(e, "api_errors_total", { endpoint: "GET /api/v3/depth", code: "-1121" }), 1);
    assert.equal(valueOf(e, "api_requests_total", { endpoint: "GET /api/v3/depth", code: "400" }), 1);
    assert.equal(valueOf(e, "api_requests_total", { endpoint: "other", code: "404" }), 3);
    assert.ok(!e.samples.some((x) => (x.labels.endpoint ?? "").includes("nowhere")), "a client's path never becomes a label");
  });

  it("gauges the WebSocket clients connected", async () => {
    const ws = new WebSocket(s.ws.spot);
    await new Promise<void>((ok, fail) => {
      ws.once("open", () => ok());
      ws.once("error", fail);
    });
    try {
      assert.equal(valueOf(await scrape(`${metricsUrl}/metrics`), "serve_ws_clients", { kind: "market" }), 1);
    } finally {
      ws.close();
    }
    for (let i = 0; ; i++) {
      if (valueOf(await scrape(`${metricsUrl}/metrics`), "serve_ws_clients", { kind: "market" }) === 0) break;
      assert.ok(i < 50, "the closed connection is no longer counted");
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it("/health answers 200 with a JSON body while the simulation runs, and 503 naming the reason once it has stopped", async () => {
    const ok = await fetch(`${metricsUrl}/health`);
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { status: string; checks: { simulation: { ok: boolean; detail: { lagSeconds: number } } } };
    assert.equal(body.status, "ok");
    assert.equal(body.checks.simulation.ok, true);
    assert.ok(body.checks.simulation.detail.lagSeconds < 5);

    s.venue.failure = new Error("an agent threw: boom");
    const down = await fetch(`${metricsUrl}/health`);
    assert.equal(down.status, 503);
    const why = (await down.json()) as { status: string; reasons: string[] };
    assert.equal(why.status, "unhealthy");
    assert.deepEqual(why.reasons, ["simulation: the simulation stopped: an agent threw: boom"]);
    assert.equal(valueOf(await scrape(`${metricsUrl}/metrics`), "service_health_status", { service: "simulation" }), 0);
    assert.equal((await fetch(`${metricsUrl}/elsewhere`)).status, 404);
  });

  it("refuses a metrics port in use, naming --metrics-port", async () => {
    await assert.rejects(serve({ metricsPort: s.metrics!.port }), /--metrics-port: \d+ on 127\.0\.0\.1 cannot be used \(EADDRINUSE\)/);
  });
});

describe("the simulation health check", () => {
  it("fails while simulated time lags the wall clock beyond the limit, naming the lag and the limit", () => {
    assert.deepEqual(simulationCheck({ failure: undefined, lagMs: 4999 }, 5000).ok, true);
    const r = simulationCheck({ failure: undefined, lagMs: 12_345 }, 5000);
    assert.equal(r.ok, false);
    assert.equal(r.reason, "the simulation is 12.3 s behind the wall clock (limit 5 s): it cannot keep up with --speed");
  });
});
