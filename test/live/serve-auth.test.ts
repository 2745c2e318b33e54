// arena serve, the gate: signatures, timestamps and keys checked as Binance checks them, request weight limited, accounts file checked.
import assert from "node:assert/strict";
import ccxt from "ccxt";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoAccount, loadAccounts } from "../../live/serve/accounts.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { hmacHex } from "../../live/serve/signing.ts";
import { WeightMeter } from "../../live/serve/weights.ts";
import { ALICE, client, serve } from "./serve-fixture.ts";

describe("arena serve: signed requests", () => {
  let s: RunningServer;
  before(async () => {
    s = await serve({ speed: 60 });
  });
  after(async () => {
    await s.close();
  });

  it("signs as Binance's documented example (HMAC-SHA256 hex of the query)", () => {
    const secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    const query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    assert.equal(hmacHex(secret, query), "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  });

  it("the right key and secret pass; a wrong secret → AuthenticationError (−1022)", async () => {
    await client(s.url).ex.fetchBalance();
    const bad = client(s.url, { key: ALICE.key, secret: "notTheSecret0123456789" });
    await assert.rejects(bad.ex.fetchBalance(), (e: Error) => e instanceof ccxt.AuthenticationError && e.message.includes("-1022"));
  });

  it("an unknown key → AuthenticationError (−2015); no key on a signed endpoint → −2014", async () => {
    const stranger = client(s.url, { key: "someoneElse0123456789", secret: ALICE.secret });
    await assert.rejects(stranger.ex.fetchBalance(), (e: Error) => e instanceof ccxt.AuthenticationError && e.message.includes("-2015"));
    const r = await fetch(`${s.url}/api/v3/account?timestamp=${Date.now()}&signature=00`);
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { code: number }).code, -2014);
  });

  it("a timestamp older than recvWindow, or over a second ahead → InvalidNonce (−1021)", async () => {
    const late = client(s.url);
    late.ex.nonce = () => Date.now() - 15_000;
    await assert.rejects(late.ex.fetchBalance(), (e: Error) => e instanceof ccxt.InvalidNonce && e.message.includes("-1021"));
    const early = client(s.url);
    early.ex.nonce = () => Date.now() + 5_000;
    await assert.rejects(early.ex.fetchBalance(), ccxt.InvalidNonce);
    // Within a widened recvWindow the late one passes.
    await late.ex.fetchBalance({ recvWindow: 30_000 });
  });

  it("a tampered parameter breaks the signature", async () => {
    const ts = Date.now();
    const q = `symbol=BTCUSDT&timestamp=${ts}`;
    const sig = hmacHex(ALICE.secret, q);
    const ok = await fetch(`${s.url}/api/v3/openOrders?${q}&signature=${sig}`, { headers: { "X-MBX-APIKEY": ALICE.key } });
    assert.equal(ok.status, 200);
    const bad = await fetch(`${s.url}/api/v3/openOrders?symbol=ETHBTC&timestamp=${ts}&signature=${sig}`, { headers: { "X-MBX-APIKEY": ALICE.key } });
    assert.equal(((await bad.json()) as { code: number }).code, -1022);
  });
});

describe("arena serve: request weight", () => {
  it("past the per-minute limit: 429 with Retry-After and −1003 → ccxt DDoSProtection", async () => {
    const s = await serve({ weightLimit: 30 });
    try {
      // The meter counts per wall-clock minute: start again if one ends in between.
      for (let attempt = 0; ; attempt++) {
        const minute = Math.floor(Date.now() / 60_000);
        const c = client(s.url);
        await c.ex.loadMarkets(true); // 20 (on the second attempt, a fresh minute)
        try {
          await c.ex.fetchOrderBook("BTC/USDT", 5); // 25
          await c.ex.fetchOrderBook("BTC/USDT", 5); // 30
          await assert.rejects(c.ex.fetchOrderBook("BTC/USDT", 5), (e: Error) => e instanceof ccxt.DDoSProtection);
          const r = await fetch(`${s.url}/api/v3/time`);
          assert.equal(r.status, 429);
          const retry = Number(r.headers.get("retry-after"));
          assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
          assert.equal(r.headers.get("x-mbx-used-weight-1m"), "30");
          assert.equal(((await r.json()) as { code: number }).code, -1003);
          return;
        } catch (e) {
          if (attempt > 0 || Math.floor(Date.now() / 60_000) === minute) throw e;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    } finally {
      await s.close();
    }
  });

  it("the meter resets at the next minute and refuses without counting", () => {
    const m = new WeightMeter(10);
    assert.deepEqual(m.take(8, 60_000), { ok: true, used: 8 });
    assert.deepEqual(m.take(5, 90_500), { ok: false, used: 8, retryAfterS: 30 });
    assert.deepEqual(m.take(2, 119_999), { ok: true, used: 10 });
    assert.deepEqual(m.take(5, 120_000), { ok: true, used: 5 });
  });
});

describe("arena serve: accounts", () => {
  it("an accounts file is checked field by field; names and keys are unique", async () => {
    const dir = await mkdtemp(join(tmpdir(), "serve-accounts-"));
    const good = join(dir, "good.json");
    await writeFile(good, JSON.stringify([{ name: "a", key: "keyA12345678", secret: "secretA12345678", quote: 1000 }]));
    assert.deepEqual(await loadAccounts(good), [{ name: "a", key: "keyA12345678", secret: "secretA12345678", base: 0, quote: 1000 }]);
    const cases: [unknown, RegExp][] = [
      [[{ name: "a", key: "short", secret: "secretA12345678" }], /\[0\.key\]: must be 8-128 letters and digits/],
      [[{ name: "a", key: "keyA12345678", secret: "secretA12345678", quote: -1 }], /\[0\.quote\]/],
      [[{ name: "a", key: "keyA12345678", secret: "secretA12345678" }, { name: "b", key: "keyA12345678", secret: "secretB12345678" }], /\[1\.key\]: "keyA12345678" is already used by account 0/],
      [[], /too_small|at least|>=1/i],
    ];
    for (const [json, want] of cases) {
      const p = join(dir, "bad.json");
      await writeFile(p, JSON.stringify(json));
      await assert.rejects(loadAccounts(p), (e: Error) => want.test(e.message) && e.message.includes("--accounts"), JSON.stringify(json));
    }
  });

  it("the demo account takes ARENA_SERVE_KEY/SECRET when both are set, else generates a pair", () => {
    const set = demoAccount({ ARENA_SERVE_KEY: "envKey12345678", ARENA_SERVE_SECRET: "envSecret12345678" });
    assert.equal(set.generated, false);
    assert.equal(set.account.key, "envKey12345678");
    const gen = demoAccount({});
    assert.equal(gen.generated, true);
    assert.match(gen.account.key, /^[0-9a-f]{64}$/);
    assert.notEqual(gen.account.key, demoAccount({}).account.key);
    assert.throws(() => demoAccount({ ARENA_SERVE_KEY: "envKey12345678" }), /set both or neither/);
    assert.throws(() => demoAccount({ ARENA_SERVE_KEY: "bad key!", ARENA_SERVE_SECRET: "envSecret12345678" }), /ARENA_SERVE_KEY/);
  });
});
