// `arena trade --live` end to end against `arena serve` on loopback: reconcile, orders and fills logged, a clean stop (duration or SIGTERM) that cancels or leaves open orders as configured.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { ALICE, client, serve, untilBook } from "../live/serve-fixture.ts";
import { arenaBatch } from "./helpers/arena-batch-client.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const KEYS = { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret };

/** A config pointing `arena trade` at the served venue. */
function config(dir: string, s: RunningServer, extra: Record<string, unknown> = {}): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ exchange: { urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3` }, rateLimitMs: 2, timeoutMs: 5000 }, ...extra }));
  return path;
}

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("arena trade --live against arena serve", () => {
  let s: RunningServer;
  let dir: string;
  before(async () => {
    s = await serve({ speed: 30 });
    dir = mkdtempSync(join(tmpdir(), "arena-trade-"));
    await untilBook(client(s.url));
  });
  after(async () => {
    await s.close();
  });

  it("trades the unchanged bot, logs every order and fill as JSON lines, stops after --duration with exit 0 and says so", async () => {
    const log = join(dir, "ema.jsonl");
    const [r] = await arenaBatch([[
      "trade", "--bot", "ema-cross", "--params", '{"fast":2,"slow":4,"intervalSec":0.3}', "--exchange", "binance", "--symbol", "BTC/USDT",
      "--live", "--confirm-live", "--config", config(dir, s), "--duration", "5s", "--log", log,
    ]], KEYS);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^arena trade: ema-cross \{"fast":2,"slow":4,"intervalSec":0.3,"fraction":0.95\} on BTC\/USDT, binance at http:\/\/127\.0\.0\.1:\d+\/api\/v3, live/);
    assert.match(r.stdout, /reconciled: 0 open orders, 0 recent fills, balances BTC 1, USDT 100000/);
    assert.match(r.stdout, /arena trade: stopped \(duration\) after \d+ wakes and [1-9]\d* orders; no open orders; final balances BTC [\d.]+, USDT [\d.]+\n$/);
    const recs = lines(log);
    const kinds = recs.map((x) => x.kind);
    assert.deepEqual(kinds.slice(0, 3), ["start", "reconcile", "rebuilt"]);
    assert.equal(kinds.at(-1), "stop");
    const created = recs.filter((x) => x.kind === "order" && x.action === "created");
    const fills = recs.filter((x) => x.kind === "fill");
    assert.ok(created.length >= 1 && fills.length >= created.length, `${created.length} orders, ${fills.length} fills`);
    for (const x of recs) assert.equal(typeof x.t, "number");
    const served = s.venue.accounts.get(ALICE.key)!;
    assert.equal(served.clientIds.size, created.length, "the venue accepted exactly the orders the log shows");
    assert.doesNotMatch(readFileSync(log, "utf8"), new RegExp(ALICE.secret));
  });

  it("reconciles an order left open before it started, cancels it on SIGTERM (onStop cancel) and exits 0; with onStop leave it leaves it", async () => {
    const c = client(s.url);
    await c.ex.loadMarkets();
    const book = await c.ex.fetchOrderBook("BTC/USDT", 5);
    const resting = await c.ex.createOrder("BTC/USDT", "limit", "buy", 0.01, Math.round(Number(book.bids[0][0]) * 0.8));
    for (const onStop of ["leave", "cancel"] as const) {
      const log = join(dir, `sigterm-${onStop}.jsonl`);
      const p = spawn(process.execPath, [
        "bin/arena.mjs", "trade", "--bot", "buy-and-hold", "--params", '{"fraction":0.1,"delaySec":0}', "--exchange", "binance", "--symbol", "BTC/USDT",
        "--live", "--confirm-live", "--config", config(dir, s, { onStop }), "--log", log,
      ], { cwd: ROOT, env: { ...process.env, ...KEYS } });
      let stdout = "";
      let stderr = "";
      p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((ok) => p.on("close", ok));
      await new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`never started: ${stdout} ${stderr}`)), 30_000);
        p.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes("rebuilt:")) {
            clearTimeout(timer);
            ok();
          }
        });
      });
      await new Promise((r) => setTimeout(r, 1500));
      p.kill("SIGTERM");
      assert.equal(await exited, 0, stderr);
      assert.match(stdout, /reconciled: 1 open orders/);
      const want = onStop === "cancel" ? /stopped \(SIGTERM\) after \d+ wakes and \d+ orders; open orders canceled \(1 of 1\); final balances BTC/ : /stopped \(SIGTERM\) after \d+ wakes and \d+ orders; open orders left on the venue \(1\); final balances BTC/;
      assert.match(stdout, want);
      const status = (await c.ex.fetchOrder(resting.id!, "BTC/USDT")).status;
      assert.equal(status, onStop === "cancel" ? "canceled" : "open");
      const recs = lines(log);
      assert.ok(recs.some((x) => x.kind === "reconcile" && (x.openOrders as unknown[]).length === 1));
      assert.ok(recs.some((x) => x.kind === "stopping" && x.by === "SIGTERM"));
    }
  });
});
