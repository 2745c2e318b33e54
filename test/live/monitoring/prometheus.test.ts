// A real Prometheus (Debian's package, installed by .ci/run) scrapes `arena serve --metrics-port` and `arena trade --metrics-port` on loopback and answers a query for what it scraped; promtool passes the alert rules and their unit tests.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { arena, tradeConfig } from "../../cli/helpers/spawn-trade.ts";
import { ALICE, client, serve } from "../serve-fixture.ts";

const DIR = resolve(fileURLToPath(import.meta.url), "../../../../live/monitoring");
const installed = (bin: string) => spawnSync(bin, ["--version"], { stdio: "ignore" }).error === undefined;
const HAVE = installed("prometheus") && installed("promtool");
// CI installs Prometheus (.ci/run): there a missing binary is a failure, not a skip.
const SKIP = HAVE || process.env.CI === "true" ? false : "prometheus/promtool are not installed (apt-get install prometheus; .ci/run installs them)";

/** A free TCP port on loopback (closed again before Prometheus binds it). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address() as { port: number };
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/** Polls `f` every 200 ms until it returns a value, or throws naming `what` after `ms`. */
async function until<T>(what: string, ms: number, f: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms${last === undefined ? "" : ` (last error: ${String(last)})`}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops `p`: SIGTERM, then SIGKILL if it has not exited within 3 s. */
async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((ok) => p.once("exit", () => ok()));
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(t);
}

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

const MISSING = "prometheus/promtool are not on PATH: .ci/run installs them (apt-get install prometheus)";

describe("a real Prometheus", () => {
  it("promtool passes live/monitoring/alerts.yml and its unit tests (alerts.test.yml)", { skip: SKIP }, () => {
    assert.ok(HAVE, MISSING);
    const check = spawnSync("promtool", ["check", "rules", join(DIR, "alerts.yml")], { encoding: "utf8", timeout: 10_000 });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /SUCCESS: 8 rules found/);
    const test = spawnSync("promtool", ["test", "rules", join(DIR, "alerts.test.yml")], { encoding: "utf8", timeout: 10_000 });
    assert.equal(test.status, 0, test.stdout + test.stderr);
  });

  it("scrapes arena serve --metrics-port on loopback and answers a query for the requests it counted", { skip: SKIP, timeout: 30_000 }, async (t) => {
    assert.ok(HAVE, MISSING);
    const s = await serve({ speed: 60, metricsPort: 0 });
    const dir = mkdtempSync(join(tmpdir(), "arena-prometheus-"));
    let prom: ChildProcess | undefined;
    let log = "";
    try {
      const port = await freePort();
      const api = `http://127.0.0.1:${port}/api/v1`;
      writeFileSync(join(dir, "prometheus.yml"), [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        `rule_files: [${JSON.stringify(join(DIR, "alerts.yml"))}]`,
        "scrape_configs:",
        "  - job_name: arena-serve",
        `    static_configs: [{ targets: ["127.0.0.1:${s.metrics!.port}"] }]`,
        "",
      ].join("\n"));
      prom = spawn("prometheus", [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ], { stdio: ["ignore", "pipe", "pipe"] });
      prom.stdout!.on("data", (d: Buffer) => (log += d.toString()));
      prom.stderr!.on("data", (d: Buffer) => (log += d.toString()));
      prom.once("exit", (code) => (log += `\n[prometheus exited with ${code}]`));

      const c = client(s.url);
      await c.ex.loadMarkets();
      for (let i = 0; i < 3; i++) await c.ex.fetchOrderBook("BTC/USDT", 5);

      const query = async (q: string) => {
        const r = await fetch(`${api}/query?query=${encodeURIComponent(q)}`);
        const body = (await r.json()) as QueryAnswer;
        return body.status === "success" && body.data.result.length > 0 ? body.data.result : undefined;
      };
      const depth = 'api_requests_total{job="arena-serve", endpoint="GET /api/v3/depth", code="200"}';
      const result = await until(`Prometheus scraping ${depth}`, 20_000, () => query(depth));
      t.diagnostic(`GET ${api}/query?query=${depth} -> ${JSON.stringify(result)}`);
      assert.equal(result.length, 1);
      assert.equal(result[0].metric.instance, `127.0.0.1:${s.metrics!.port}`);
      assert.ok(Number(result[0].value[1]) >= 3, `scraped ${result[0].value[1]} depth requests, sent 3`);
      const up = await query('up{job="arena-serve"}');
      assert.equal(up?.[0].value[1], "1");
      const health = await query('service_health_status{job="arena-serve", service="simulation"}');
      assert.equal(health?.[0].value[1], "1");

      const rules = (await (await fetch(`${api}/rules`)).json()) as { data: { groups: { rules: { name: string }[] }[] } };
      const names = rules.data.groups.flatMap((g) => g.rules.map((r) => r.name));
      assert.ok(names.includes("DrawdownAbove10Percent") && names.includes("ServiceDown"), `Prometheus loaded alerts.yml: ${names.join(", ")}`);
      assert.equal(names.length, 8);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nprometheus log:\n${log}`);
    } finally {
      if (prom !== undefined) await stop(prom);
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("scrapes a running arena trade --metrics-port (against arena serve) and answers queries for its trading metrics", { skip: SKIP, timeout: 45_000 }, async (t) => {
    assert.ok(HAVE, MISSING);
    const s = await serve({ speed: 30 });
    const dir = mkdtempSync(join(tmpdir(), "arena-prometheus-trade-"));
    let prom: ChildProcess | undefined;
    let log = "";
    const metricsPort = await freePort();
    const trade = arena([
      "trade", "--bot", "ema-cross", "--params", '{"fast":2,"slow":4,"intervalSec":0.25}', "--exchange", "binance", "--symbol", "BTC/USDT",
      "--live", "--confirm-live", "--config", tradeConfig(dir, s.url), "--log", join(dir, "trade.jsonl"), "--metrics-port", String(metricsPort), "--duration", "40s",
    ], { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret });
    try {
      await trade.until(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
      const port = await freePort();
      const api = `http://127.0.0.1:${port}/api/v1`;
      writeFileSync(join(dir, "prometheus.yml"), [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        "scrape_configs:",
        "  - job_name: arena-trade",
        `    static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }]`,
        "",
      ].join("\n"));
      prom = spawn("prometheus", [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ], { stdio: ["ignore", "pipe", "pipe"] });
      prom.stdout!.on("data", (d: Buffer) => (log += d.toString()));
      prom.stderr!.on("data", (d: Buffer) => (log += d.toString()));
      prom.once("exit", (code) => (log += `\n[prometheus exited with ${code}]`));
      const query = async (q: string) => {
        const r = await fetch(`${api}/query?query=${encodeURIComponent(q)}`);
        const body = (await r.json()) as QueryAnswer;
        return body.status === "success" && body.data.result.length > 0 ? body.data.result : undefined;
      };
      const equity = 'trading_equity{job="arena-trade"}';
      const eq = await until(`Prometheus scraping ${equity}`, 25_000, () => query(equity));
      t.diagnostic(`GET ${api}/query?query=${equity} -> ${JSON.stringify(eq)}`);
      assert.equal(eq[0].metric.instance, `127.0.0.1:${metricsPort}`);
      assert.ok(Number(eq[0].value[1]) > 100_000, `equity ${eq[0].value[1]} (1 BTC and 100000 USDT at the start)`);
      const wakes = await until("decisions counted", 10_000, async () => {
        const r = await query('trading_decision_latency_seconds_count{job="arena-trade"}');
        return r !== undefined && Number(r[0].value[1]) >= 3 ? r : undefined;
      });
      t.diagnostic(`trading_decision_latency_seconds_count -> ${wakes[0].value[1]}`);
      const books = await query('api_requests_total{job="arena-trade", endpoint="fetchOrderBook", code="200"}');
      assert.ok(books !== undefined && Number(books[0].value[1]) >= 1, JSON.stringify(books));
      assert.equal((await query('service_health_status{job="arena-trade", service="venue"}'))?.[0].value[1], "1");
      assert.equal((await query('trading_circuit_breaker_open{job="arena-trade"}'))?.[0].value[1], "0");
      const health = await fetch(`http://127.0.0.1:${metricsPort}/health`);
      assert.equal(health.status, 200, await health.text());
    } catch (e) {
      throw new Error(`${(e as Error).message}\nprometheus log:\n${log}\narena trade:\n${trade.stdout()}${trade.stderr()}`);
    } finally {
      trade.p.kill("SIGTERM");
      await trade.exited;
      if (prom !== undefined) await stop(prom);
      await s.close();
      assert.doesNotMatch(readFileSync(join(dir, "trade.jsonl"), "utf8"), new RegExp(ALICE.secret));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
