// `arena trade` refuses bad input with one clear error and sends no order: flags, config, keys, confirmation, unknown symbol, a venue that answers garbage or nothing.
import assert from "node:assert/strict";
import { createServer as httpServer, type Server } from "node:http";
import { createServer as tcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { ALICE, serve } from "../live/serve-fixture.ts";
import { arenaBatch, type Result } from "./helpers/arena-batch-client.ts";

const listen = (srv: Server | TcpServer) => new Promise<number>((ok) => srv.listen(0, "127.0.0.1", () => ok((srv.address() as AddressInfo).port)));
const close = (srv: Server | TcpServer) => new Promise<void>((ok) => srv.close(() => ok()));

/** Exit `code`, one `arena: ` line on stderr matching `message`. */
function refused(r: Result, code: number, message: RegExp, what: string): void {
  assert.equal(r.code, code, `${what}: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `${what}: one error line, got ${r.stderr}`);
  assert.match(lines[0], /^arena: /, what);
  assert.match(lines[0], message, what);
}

describe("arena trade: bad input", () => {
  let s: RunningServer;
  let garbage: Server;
  let hang: TcpServer;
  const sockets: Socket[] = [];
  const garbageUrls: string[] = [];
  let dir: string;
  const ports = { garbage: 0, hang: 0, closed: 0 };
  before(async () => {
    s = await serve({ speed: 30 });
    dir = mkdtempSync(join(tmpdir(), "arena-trade-bad-"));
    garbage = httpServer((req, res) => {
      garbageUrls.push(`${req.method} ${req.url}`);
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>not an exchange {{{</body></html>");
    });
    ports.garbage = await listen(garbage);
    hang = tcpServer((sock) => void sockets.push(sock));
    ports.hang = await listen(hang);
    const gone = tcpServer();
    ports.closed = await listen(gone);
    await close(gone);
  });
  after(async () => {
    for (const sock of sockets) sock.destroy();
    await Promise.all([s.close(), close(garbage), close(hang)]);
  });

  const cfg = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === "string" ? body : JSON.stringify(body));
    return p;
  };
  const at = (base: string, extra: Record<string, unknown> = {}) => cfg(`at-${Math.random().toString(36).slice(2)}.json`, { exchange: { urls: { public: `${base}/api/v3`, private: `${base}/api/v3` }, timeoutMs: 800, retries: 1, ...extra } });
  const trade = (...rest: string[]) => ["trade", "--bot", "ema-cross", "--exchange", "binance", "--symbol", "BTC/USDT", ...rest];

  it("refuses bad flags, config and missing keys or confirmation with exit 2 before any request", async () => {
    const before = s.requests;
    const cases: [string[], RegExp][] = [
      [["trade", "--bot", "ema-cross", "--exchange", "nosuchexchange", "--symbol", "BTC/USDT"], /--exchange: "nosuchexchange" is not a ccxt exchange id/],
      [trade("--symbol", "btc-usdt"), /--symbol: "btc-usdt" is not BASE\/QUOTE/],
      [trade("--live", "--confirm-live", "--config", at(s.url)), /--live: EXCHANGE_API_KEY and EXCHANGE_API_SECRET are not set in the environment/],
      [trade("--live", "--paper"), /--paper and --live: give one of them/],
      [trade("--confirm-live"), /--confirm-live: confirms --live, which was not given/],
      [trade("--config", cfg("fee.json", { paper: { takerFee: -1 } })), /--config: file ".*fee\.json": config\.paper\.takerFee: -1 is invalid/],
      [trade("--config", cfg("url.json", { exchange: { urls: { public: "nowhere", private: "x" } } })), /config\.exchange\.urls\.public: "nowhere" is invalid: must be a URL/],
      [trade("--config", cfg("wsapi.json", { exchange: { urls: { public: "http://127.0.0.1:1/api/v3", private: "http://127.0.0.1:1/api/v3", wsApi: "nowhere" } } })), /config\.exchange\.urls\.wsApi: "nowhere" is invalid: must be a URL/],
      [trade("--config", cfg("extra.json", { onstop: "cancel" })), /config: \{"onstop":"cancel"\} is invalid: .*onstop/],
      [trade("--config", cfg("bad.json", "{ not json")), /--config: file ".*bad\.json" is not JSON/],
      [trade("--config", join(dir, "missing.json")), /--config: ".*missing\.json" does not exist/],
      [["trade", "--bot", "nosuchbot", "--exchange", "binance", "--symbol", "BTC/USDT"], /--bot: "nosuchbot" is not a registered bot/],
      [trade("--params", '{"fast":30,"slow":10}'), /--params: params\.fast: 30 is invalid: fast must be shorter than slow/],
      [trade("--config", cfg("risk.json", { risk: { stopLossPct: 0.02 } })), /risk: given, but the bot ema-cross does not use the risk manager/],
    ];
    const results = await arenaBatch(cases.map(([a]) => a), { EXCHANGE_API_KEY: "", EXCHANGE_API_SECRET: "" });
    cases.forEach(([args, want], i) => refused(results[i], 2, want, args.join(" ")));
    assert.equal(s.requests, before, "a refused command line sent a request");
  });

  it("a symbol the venue does not list exits 2; a venue that answers garbage, never answers, or is not there, or refuses the keys, exits 1 naming it; no order reaches any", async () => {
    const cases: [string[], number, RegExp][] = [
      [trade("--live", "--config", at(s.url), "--duration", "1s"), 2, /--live: sends real orders with real money; add --confirm-live/],
      [["trade", "--bot", "ema-cross", "--exchange", "binance", "--symbol", "ETH/USDT", "--live", "--confirm-live", "--config", at(s.url), "--duration", "1s"], 2, /--symbol: "ETH\/USDT" is not listed on binance at http:\/\/127\.0\.0\.1:\d+\/api\/v3 \(1 spot markets, e\.g\. BTC\/USDT\)/],
      [trade("--live", "--confirm-live", "--config", at(`http://127.0.0.1:${ports.garbage}`), "--duration", "1s"), 1, new RegExp(`binance at http://127\\.0\\.0\\.1:${ports.garbage}/api/v3: answered, but ccxt read no spot market from it`)],
      [trade("--live", "--confirm-live", "--config", at(`http://127.0.0.1:${ports.hang}`), "--duration", "1s"), 1, new RegExp(`binance at http://127\\.0\\.0\\.1:${ports.hang}/api/v3: no usable answer \\(network: .*timed out`)],
      [trade("--live", "--confirm-live", "--config", at(`http://127.0.0.1:${ports.closed}`), "--duration", "1s"), 1, new RegExp(`binance at http://127\\.0\\.0\\.1:${ports.closed}/api/v3: no usable answer \\(network: .*ECONNREFUSED`)],
    ];
    const t0 = performance.now();
    const results = await arenaBatch(cases.map(([a]) => a), { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret });
    cases.forEach(([args, code, want], i) => refused(results[i], code, want, args.join(" ")));
    const [wrong] = await arenaBatch([trade("--live", "--confirm-live", "--config", at(s.url), "--duration", "1s")], { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: "not-the-secret-0123456789" });
    refused(wrong, 1, /binance at http:\/\/127\.0\.0\.1:\d+\/api\/v3: the keys were refused/, "wrong secret");
    assert.doesNotMatch(wrong.stderr, /not-the-secret/);
    assert.equal(s.venue.accounts.get(ALICE.key)!.clientIds.size, 0, "the served venue accepted an order");
    assert.ok(garbageUrls.length > 0 && garbageUrls.every((u) => !u.includes("/order")), garbageUrls.join(", "));
    assert.ok(performance.now() - t0 < 30_000, "the refusals took too long");
  });
});
