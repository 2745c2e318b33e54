// `arena trade` killed with SIGKILL mid-run (orders already on the venue, or fills in the paper journal) and started again on the same config and log: no duplicate order, balances reconcile, the bot carries on.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { ALICE, client, serve, untilBook } from "../live/serve-fixture.ts";
import { arena, tradeConfig } from "./helpers/spawn-trade.ts";

const KEYS = { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret };
const SYM = "BTC/USDT";

const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, "utf8").trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>) : [];

async function balances(url: string): Promise<Record<string, number>> {
  const c = client(url);
  await c.ex.loadMarkets();
  const b = (await c.ex.fetchBalance()).total as unknown as Record<string, number>;
  return { BTC: Number(b.BTC), USDT: Number(b.USDT) };
}

describe("arena trade --live killed mid-run and started again", () => {
  let s: RunningServer;
  let dir: string;
  before(async () => {
    s = await serve({ speed: 30 });
    dir = mkdtempSync(join(tmpdir(), "arena-restart-"));
    await untilBook(client(s.url));
  });
  after(async () => {
    await s.close();
  });

  it("after SIGKILL with orders on the venue, the restart reconciles the venue's balances, sends no order twice and trades on", async () => {
    const log = join(dir, "ema.jsonl");
    const args = [
      "trade", "--bot", "ema-cross", "--params", '{"fast":2,"slow":4,"intervalSec":0.25}', "--exchange", "binance", "--symbol", SYM,
      "--live", "--confirm-live", "--config", tradeConfig(dir, s.url), "--log", log,
    ];
    const first = arena(args, KEYS);
    try {
      for (let i = 0; !lines(log).some((x) => x.kind === "order" && x.action === "created"); i++) {
        assert.ok(i < 300, `no order within 30 s:\n${first.stdout()}\n${first.stderr()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      first.p.kill("SIGKILL");
    }
    assert.equal((await first.exited).signal, "SIGKILL");
    const firstLines = lines(log);
    assert.ok(!firstLines.some((x) => x.kind === "stop"), "the first session never got to stop");
    const atKill = await balances(s.url);

    const second = arena([...args, "--duration", "5s"], KEYS);
    const { code } = await second.exited;
    assert.equal(code, 0, second.stderr());
    const all = lines(log);
    const restart = all.slice(firstLines.length);
    const reconcile = restart.find((x) => x.kind === "reconcile") as { balances: Record<string, number> } | undefined;
    assert.ok(reconcile !== undefined, "the restart reconciled first");
    for (const c of ["BTC", "USDT"]) assert.ok(Math.abs((reconcile.balances[c] ?? 0) - atKill[c]) < 1e-9, `${c}: reconciled ${reconcile.balances[c]}, the venue had ${atKill[c]}`);
    assert.match(second.stdout(), /reconciled: 0 open orders, [1-9]\d* recent fills/);
    const stop = restart.at(-1) as { kind: string; wakes: number; balances: Record<string, number> };
    assert.equal(stop.kind, "stop");
    assert.ok(stop.wakes >= 5, `the restarted bot woke ${stop.wakes} times`);
    const end = await balances(s.url);
    for (const c of ["BTC", "USDT"]) assert.ok(Math.abs((stop.balances[c] ?? 0) - end[c]) < 1e-9, `${c}: the session's last line says ${stop.balances[c]}, the venue ${end[c]}`);

    const created = all.filter((x) => x.kind === "order" && x.action === "created").map((x) => x.clientOrderId as string);
    assert.equal(new Set(created).size, created.length, `client order ids are unique across both sessions: ${created.join(", ")}`);
    const served = s.venue.accounts.get(ALICE.key)!;
    assert.equal(served.clientIds.size, created.length, "the venue holds exactly the orders the two sessions logged, none twice");
    const prefixes = new Set(created.map((id) => id.split("-")[0]));
    if (restart.some((x) => x.kind === "order" && x.action === "created")) assert.equal(prefixes.size, 2, "each session has its own client order id prefix");
  });
  it("paper: after SIGKILL, the restart resumes the journal; every fill of both sessions adds up to the final balances, no order id twice, nothing reaches the venue", async () => {
    const log = join(dir, "paper.jsonl");
    const sentBefore = s.venue.accounts.get(ALICE.key)!.clientIds.size;
    const cfg = tradeConfig(dir, s.url, { paper: { balances: { USDT: 10_000 }, makerFee: 0.001, takerFee: 0.001, latencyMs: 10, journal: join(dir, "journal") } });
    const args = ["trade", "--bot", "ema-cross", "--params", '{"fast":2,"slow":4,"intervalSec":0.25}', "--exchange", "binance", "--symbol", SYM, "--config", cfg, "--log", log];
    const noKeys = { EXCHANGE_API_KEY: "", EXCHANGE_API_SECRET: "" };
    const first = arena(args, noKeys);
    try {
      for (let i = 0; !lines(log).some((x) => x.kind === "fill"); i++) {
        assert.ok(i < 300, `no fill within 30 s:\n${first.stdout()}\n${first.stderr()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      first.p.kill("SIGKILL");
    }
    assert.equal((await first.exited).signal, "SIGKILL");
    const n1 = lines(log).length;
    const second = arena([...args, "--duration", "4s"], noKeys);
    assert.equal((await second.exited).code, 0, second.stderr());
    assert.match(second.stdout(), /reconciled: \d+ open orders, [1-9]\d* recent fills, balances BTC/);
    const all = lines(log);
    const restart = all.slice(n1);
    const reconcile = restart.find((x) => x.kind === "reconcile") as { lastFills: Fill[] };
    type Fill = { id: string; side: string; amount: number; cost: number; fee?: { cost: number; currency: string } };
    // Every fill once: those either session logged, and those the restart found in the journal (a fill journaled just before the kill may not have been logged).
    const fills = new Map<string, Fill>();
    for (const f of [...all.filter((x) => x.kind === "fill") as unknown as Fill[], ...reconcile.lastFills]) fills.set(f.id, f);
    const bal: Record<string, number> = { BTC: 0, USDT: 10_000 };
    for (const f of fills.values()) {
      const sign = f.side === "buy" ? 1 : -1;
      bal.BTC += sign * f.amount;
      bal.USDT -= sign * f.cost;
      if (f.fee !== undefined) bal[f.fee.currency] -= f.fee.cost;
    }
    const stop = restart.at(-1) as { kind: string; balances: Record<string, number>; wakes: number };
    assert.equal(stop.kind, "stop");
    assert.ok(stop.wakes >= 5, `the restarted bot woke ${stop.wakes} times`);
    for (const c of ["BTC", "USDT"]) assert.ok(Math.abs((stop.balances[c] ?? 0) - bal[c]) < 1e-6, `${c}: final ${stop.balances[c]}, the ${fills.size} fills add up to ${bal[c]}`);
    const ids = all.filter((x) => x.kind === "order" && x.action === "created").map((x) => x.id as string);
    assert.equal(new Set(ids).size, ids.length, `paper order ids unique across both sessions: ${ids.join(", ")}`);
    assert.equal(s.venue.accounts.get(ALICE.key)!.clientIds.size, sentBefore, "no paper order reached the venue");
  });
});
