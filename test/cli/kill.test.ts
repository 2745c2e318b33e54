// `arena kill` against `arena serve`: a running `arena trade` told through its control port cancels every open order, flattens and stops; with no session, the standalone kill reaches zero open orders through injected faults.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { faultProxy } from "../live/fault-proxy.ts";
import { ALICE, client, serve, untilBook } from "../live/serve-fixture.ts";
import { arena, tradeConfig } from "./helpers/spawn-trade.ts";

const KEYS = { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret };
const SYM = "BTC/USDT";

async function view(url: string): Promise<{ open: number; btc: number }> {
  const c = client(url);
  await c.ex.loadMarkets();
  const [open, bal] = await Promise.all([c.ex.fetchOpenOrders(SYM), c.ex.fetchBalance()]);
  return { open: open.length, btc: Number((bal.total as unknown as Record<string, number>).BTC) };
}

async function rest(url: string, n: number, buy: number): Promise<void> {
  const c = client(url);
  await c.ex.loadMarkets();
  const bid = Number((await c.ex.fetchOrderBook(SYM, 5)).bids[0][0]);
  for (let i = 0; i < n; i++) await c.ex.createOrder(SYM, "limit", "buy", 0.01, Math.round(bid * (0.8 - i * 0.01)));
  if (buy > 0) await c.ex.createOrder(SYM, "market", "buy", buy);
}

describe("arena kill against arena serve", () => {
  let s: RunningServer;
  let dir: string;
  before(async () => {
    s = await serve({ speed: 30 });
    dir = mkdtempSync(join(tmpdir(), "arena-kill-"));
    await untilBook(client(s.url));
  });
  after(async () => {
    await s.close();
  });

  it("--control-port: the running session cancels every open order, flattens back to its starting BTC and exits 0; kill prints the session's line", async () => {
    await rest(s.url, 3, 0);
    const start = await view(s.url);
    const t = arena([
      "trade", "--bot", "buy-and-hold", "--params", '{"fraction":0.1,"delaySec":0}', "--exchange", "binance", "--symbol", SYM,
      "--live", "--confirm-live", "--config", tradeConfig(dir, s.url, { onStop: "leave" }), "--log", join(dir, "killed.jsonl"), "--control-port", "0",
    ], KEYS);
    try {
      const [, port] = await t.until(/control: 127\.0\.0\.1:(\d+) /);
      await t.until(/rebuilt:/);
      for (let i = 0; (await view(s.url)).btc <= start.btc + 1e-6; i++) {
        assert.ok(i < 100, "buy-and-hold never bought");
        await new Promise((r) => setTimeout(r, 100));
      }
      const k = arena(["kill", "--control-port", port, "--flatten"]);
      const ke = await k.exited;
      assert.equal(ke.code, 0, k.stdout() + k.stderr());
      assert.match(k.stdout(), /^arena trade: kill switch \(arena kill\): canceled 3 orders on BTC\/USDT, 0 open orders left; flattened: sell [\d.]+ BTC at market; BTC held [\d.]+\n/);
      assert.match(k.stdout(), /arena trade: stopped \(arena kill\) after \d+ wakes and \d+ orders; open orders canceled by the kill switch \(3\), 0 left; final balances/);
      const te = await t.exited;
      assert.equal(te.code, 0, t.stderr());
      assert.match(t.stdout(), /stopped \(arena kill\)/);
    } finally {
      t.p.kill("SIGKILL");
    }
    const end = await view(s.url);
    assert.equal(end.open, 0, "no open order on the venue (a separate client)");
    assert.ok(Math.abs(end.btc - start.btc) < 1e-3, `BTC back to ${start.btc}: ${end.btc}`);
  });

  it("standalone: with no session, cancels every open order and flattens straight on the venue through 503s, dropped connections and lost cancel answers; exit 0", async () => {
    await rest(s.url, 4, 0.05);
    const start = await view(s.url);
    assert.equal(start.open, 4);
    const proxy = await faultProxy(s.url, 4);
    try {
      const cfg = tradeConfig(dir, proxy.url, { exchange: { urls: { public: `${proxy.url}/api/v3`, private: `${proxy.url}/api/v3` }, rateLimitMs: 2, timeoutMs: 3000, retries: 5 } });
      const target = (start.btc - 0.05).toFixed(6);
      const k = arena(["kill", "--exchange", "binance", "--symbol", SYM, "--config", cfg, "--flatten", "--to", target], KEYS);
      const ke = await k.exited;
      assert.equal(ke.code, 0, k.stdout() + k.stderr());
      assert.match(k.stdout(), /^arena kill: binance at http:\/\/127\.0\.0\.1:\d+\/api\/v3, live: canceled [4-9] orders on BTC\/USDT, 0 open orders left; flattened: sell 0\.05 BTC at market/);
      assert.ok(proxy.injected.unavailable >= 1 && proxy.injected.dropped >= 1 && proxy.injected.lostAck >= 1, JSON.stringify(proxy.injected));
    } finally {
      await proxy.close();
    }
    const end = await view(s.url);
    assert.equal(end.open, 0);
    assert.ok(Math.abs(end.btc - (start.btc - 0.05)) < 1e-3, `BTC ${end.btc}`);
  });

  it("says what is wrong: no session on the control port (exit 1, naming the standalone way), bad flags (exit 2)", async () => {
    const srv = createServer();
    await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((ok) => srv.close(() => ok()));
    const k = arena(["kill", "--control-port", String(port)]);
    assert.equal((await k.exited).code, 1);
    assert.match(k.stderr(), /no answer from an arena trade session at 127\.0\.0\.1:\d+ \(ECONNREFUSED\); with no session running, go to the venue directly: arena kill --exchange ID --symbol SYM --config FILE/);
    const none = arena(["kill"]);
    assert.equal((await none.exited).code, 2);
    assert.match(none.stderr(), /give --control-port P \(a running arena trade\) or --exchange ID --symbol SYM/);
    const noKeys = arena(["kill", "--exchange", "binance", "--symbol", SYM], { EXCHANGE_API_KEY: "", EXCHANGE_API_SECRET: "" });
    assert.equal((await noKeys.exited).code, 2);
    assert.match(noKeys.stderr(), /EXCHANGE_API_KEY and EXCHANGE_API_SECRET are not set/);
  });
});
