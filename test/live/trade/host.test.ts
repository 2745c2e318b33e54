// The wall-clock host: wakes in order of due time, one at a time (an async wake ends before the next starts), reconcile before start, halt, errors.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MemoryLog, type Bot, type BotContext, type VenueState } from "../../../agents/bot.ts";
import { ExchangeError, type Exchange } from "../../../market/exchange.ts";
import { Rng } from "../../../sim/rng.ts";
import { WallClockHost, type HostClock } from "../../../live/trade/host.ts";
import { JsonlLog } from "../../../live/trade/log.ts";

const NO_EXCHANGE = {} as Exchange;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function host(bot: Bot, clock?: HostClock, maxWakeErrors?: number): WallClockHost {
  return new WallClockHost({ bot, exchange: NO_EXCHANGE, symbol: "BTC/USDT", rng: Rng.root(1), log: new MemoryLog(() => 0), clock, maxWakeErrors });
}

describe("WallClockHost", () => {
  it("serves wakes by due time then by asking, each async wake finished before the next begins, never before its time", async () => {
    const seen: string[] = [];
    let inWake = false;
    let overlap = false;
    let t0 = 0;
    const bot: Bot = {
      start(ctx: BotContext) {
        t0 = ctx.now;
        ctx.wakeIn(60);
        ctx.wakeIn(20);
        ctx.wakeAt(ctx.now + 20);
      },
      async wake(ctx: BotContext) {
        if (inWake) overlap = true;
        inWake = true;
        seen.push(`wake@${ctx.now - t0 >= 20 ? "due" : "early"}`);
        await sleep(30);
        inWake = false;
      },
    };
    const h = host(bot);
    await h.start();
    const run = h.run();
    await sleep(200);
    h.halt();
    await run;
    assert.equal(h.wakes, 3);
    assert.equal(overlap, false, "a wake began while another was still running");
    assert.deepEqual(seen, ["wake@due", "wake@due", "wake@due"]);
  });

  it("hands the bot the venue's state before start, and stops it after halt even with nothing pending", async () => {
    const calls: string[] = [];
    const state = { openOrders: [], balance: { free: {}, used: {}, total: { BTC: 2 } }, trades: [] } as unknown as VenueState;
    const bot: Bot = {
      reconcile(_ctx, v) {
        calls.push(`reconcile BTC ${v.balance.total.BTC}`);
        return "rebuilt it";
      },
      start() {
        calls.push("start");
      },
      stop() {
        calls.push("stop");
      },
    };
    const h = host(bot);
    assert.equal(await h.start(state), "rebuilt it");
    const run = h.run();
    setTimeout(() => h.halt(), 20);
    await run;
    await h.stop();
    assert.deepEqual(calls, ["reconcile BTC 2", "start", "stop"]);
  });

  it("runs on a faster clock: a wake 10 s of its time away comes after 10 s / speed of wall time", async () => {
    const t0 = performance.now();
    const clock: HostClock = { now: () => 1_700_000_000_000 + (performance.now() - t0) * 100, speed: 100 };
    let wokeAt = NaN;
    const h = host({ start: (ctx) => ctx.wakeIn(10_000), wake: () => void (wokeAt = performance.now() - t0) }, clock);
    await h.start();
    const run = h.run();
    await sleep(250);
    h.halt();
    await run;
    assert.ok(wokeAt >= 99 && wokeAt < 240, `woke after ${wokeAt} wall ms`);
  });

  it("a delay stays a delay on a fast clock: wakeIn(0) is not refused when the clock moves on between readings", async () => {
    let t = 1_000_000;
    // A clock sped up so far that every reading is 5 ms after the last.
    const fast: HostClock = { now: () => (t += 5), speed: 1000 };
    const h = host({ start: (ctx) => { ctx.wakeIn(0); ctx.wakeIn(1e-6); } }, fast);
    await h.start();
    assert.equal(h.pendingWakes, 2);
  });

  it("refuses a wake in the past; a venue error in a wake is survived until maxWakeErrors in a row, any other error ends the run", async () => {
    const past = host({ start: (ctx) => ctx.wakeAt(ctx.now - 1000) });
    await assert.rejects(past.start(), /wakeAt\(\d+\) is not a Unix ms at or after now/);

    let n = 0;
    const flaky = host({ start: (ctx) => ctx.wakeIn(0), wake: (ctx) => { n++; ctx.wakeIn(1); throw new ExchangeError("network", "venue unreachable"); } }, undefined, 3);
    await flaky.start();
    await assert.rejects(flaky.run(), /venue unreachable/);
    assert.equal(n, 3);

    const buggy = host({ start: (ctx) => ctx.wakeIn(0), wake: (ctx) => { ctx.wakeIn(1); throw new TypeError("a bug"); } });
    await buggy.start();
    await assert.rejects(buggy.run(), /a bug/);
    assert.equal(buggy.wakes, 1);
  });
});

describe("JsonlLog", () => {
  it("appends one JSON object a line with t, time and kind, and never writes a secret", () => {
    const path = join(mkdtempSync(join(tmpdir(), "trade-log-")), "sub", "log.jsonl");
    const log = new JsonlLog(path, ["sekrit-key-123"], () => Date.UTC(2026, 0, 1));
    log.record("order", { action: "create", note: "signed with sekrit-key-123" });
    log.warn("order refused", { reason: "min_notional" });
    log.close();
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines[0], { t: Date.UTC(2026, 0, 1), time: "2026-01-01T00:00:00.000Z", kind: "order", action: "create", note: "signed with ***" });
    assert.deepEqual(lines[1], { t: Date.UTC(2026, 0, 1), time: "2026-01-01T00:00:00.000Z", kind: "log", level: "warn", msg: "order refused", reason: "min_notional" });
  });
});
