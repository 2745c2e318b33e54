// The same bot on two venues: ema-cross in the simulator (as `arena run` hosts it) and through ccxt against `arena serve` of the same scenario and seed, hosted on the wall clock as `arena trade --live`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BOT_TYPES } from "../../../agents/registry.ts";
import { createCcxtExchange } from "../../../live/ccxt-exchange.ts";
import { startServer } from "../../../live/serve/server.ts";
import { JsonlLog } from "../../../live/trade/log.ts";
import { runSession } from "../../../live/trade/session.ts";
import type { EventLog } from "../../../market/event-log.ts";
import { TradeCol } from "../../../market/event-log.ts";
import { lotsToAmount, ticksToPrice } from "../../../market/instrument.ts";
import { Asset } from "../../../market/ledger.ts";
import { EventKind, Side } from "../../../market/types.ts";
import { buildScenario, typeRegistry } from "../../../scenarios/build.ts";
import { loadScenarioFile } from "../../../scenarios/spec.ts";
import type { Kernel } from "../../../sim/kernel.ts";
import { Rng } from "../../../sim/rng.ts";
import { ALICE, SCENARIO } from "../serve-fixture.ts";

const SEED = 7;
/** Simulated time both venues run, and how much faster than real time the served one does. */
const WINDOW_MS = 30 * 60_000;
const SPEED = 50;
const PARAMS = { fast: 3, slow: 8, intervalSec: 20, fraction: 0.95 };

/** One market order of the bot, as the venue's event log has it: all the trades it took. */
interface Fill {
  readonly tMs: number;
  readonly side: "buy" | "sell";
  readonly size: number;
  readonly avg: number;
}

/** Collects the orders of `account` as taker (the bot sends market orders only) from the venue's events. */
function watchTaker(kernel: Kernel, account: () => number): () => Fill[] {
  const byOrder = new Map<number, { tMs: number; side: "buy" | "sell"; lots: number; notional: number }>();
  const inst = kernel.venue.instrument;
  kernel.observe({
    onEvents(log: EventLog, from: number, to: number, ts: number) {
      for (let i = from; i < to; i++) {
        if (log.kind(i) !== EventKind.TRADE || log.field(i, TradeCol.TAKER_ACCOUNT) !== account()) continue;
        const id = log.field(i, TradeCol.TAKER_ORDER_ID);
        const lots = log.field(i, TradeCol.SIZE);
        const price = ticksToPrice(inst, log.field(i, TradeCol.PRICE));
        const o = byOrder.get(id) ?? { tMs: ts / 1e6, side: log.field(i, TradeCol.AGGRESSOR) === Side.BUY ? "buy" as const : "sell" as const, lots: 0, notional: 0 };
        o.lots += lots;
        o.notional += lots * price;
        byOrder.set(id, o);
      }
    },
    onTop() {},
  });
  return () => [...byOrder.values()].map((o) => ({ tMs: o.tMs, side: o.side, size: lotsToAmount(inst, o.lots), avg: o.notional / o.lots }));
}

/** The account's equity in quote: every coin it holds, base at the mid. */
function equity(kernel: Kernel, account: number): number {
  const v = kernel.venue;
  const top = v.engine.top();
  const mid = ticksToPrice(v.instrument, (top.bidPrice + top.askPrice) / 2);
  const L = v.ledger;
  const base = (L.freeOf(account, Asset.BASE) + L.lockedOf(account, Asset.BASE)) / v.instrument.spec.baseScale;
  const quote = (L.freeOf(account, Asset.QUOTE) + L.lockedOf(account, Asset.QUOTE)) / v.instrument.spec.quoteScale;
  return quote + base * mid;
}

describe("the same bot on two venues", () => {
  it("ema-cross in the simulator and through ccxt against arena serve (same scenario and seed): trades and final equity agree within what latency explains", async () => {
    const spec = await loadScenarioFile(SCENARIO, typeRegistry());
    const params = BOT_TYPES["ema-cross"].params.parse(PARAMS) as Record<string, unknown>;

    // 1. The simulator, as `arena run` hosts a scenario's bot.
    const simWorld = buildScenario({ ...spec, bots: [{ name: "ema", type: "ema-cross", base: ALICE.base, quote: ALICE.quote, params }] }, SEED);
    const simAccount = simWorld.kernel.accountOf(simWorld.bots[0].agent);
    const simFills = watchTaker(simWorld.kernel, () => simAccount);
    await simWorld.kernel.runUntil(WINDOW_MS * 1e6);
    const simEquity = equity(simWorld.kernel, simAccount);
    const simOut = simFills();

    // 2. arena serve of the same scenario and seed; its clock held at its first ms until the bot is connected.
    const { kernel } = buildScenario(spec, SEED);
    let held = 0;
    let t0: number | undefined;
    const mono = () => (t0 === undefined ? held : held + performance.now() - t0);
    const server = await startServer({ kernel, accounts: [ALICE], speed: SPEED, monotonicMs: mono, weightLimit: 1_000_000 });
    // A first simulated ms, so the agents start and the account can answer while the clock is held.
    held = 1 / SPEED;
    const acct = server.venue.accounts.get(ALICE.key)!;
    const servedFills = watchTaker(kernel, () => kernel.accountOf(acct.agent));
    const venueMs = () => kernel.epochMs + Math.floor(mono() * SPEED);
    const dir = mkdtempSync(join(tmpdir(), "two-venues-"));
    const log = new JsonlLog(join(dir, "served.jsonl"), [ALICE.secret], venueMs);
    let servedEquity: number;
    let result;
    let ex;
    try {
      ex = await createCcxtExchange({
        id: "binance", symbol: "BTC/USDT", apiKey: ALICE.key, secret: ALICE.secret,
        urls: { public: `${server.url}/api/v3`, private: `${server.url}/api/v3` },
        options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } },
        rateLimitMs: 1, timeoutMs: 5_000, clock: venueMs,
      });
      result = await runSession({
        onReady: () => void (t0 = performance.now()),
        botName: "ema-cross", bot: BOT_TYPES["ema-cross"].create(params), exchange: ex, symbol: "BTC/USDT",
        rng: Rng.root(SEED).fork("agents/bot/ema"), log, onStop: "cancel", durationMs: WINDOW_MS / SPEED,
        clock: { now: venueMs, speed: SPEED }, signals: false, describe: {}, out: () => undefined,
      });
      servedEquity = await server.venue.run(() => equity(kernel, kernel.accountOf(acct.agent)));
    } finally {
      log.close();
      await ex?.close();
      await server.close();
    }
    const servedOut = servedFills();
    const recs = readFileSync(log.path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; t: number; due?: number; lateMs?: number });
    const late = recs.filter((r) => r.kind === "wake").map((r) => r.lateMs!).sort((a, b) => a - b);
    process.stdout.write(`# wake lateness (sim ms): p50 ${late[late.length >> 1]} p90 ${late[Math.floor(late.length * 0.9)]} max ${late.at(-1)}\n`);

    assert.equal(result.error, undefined);

    const show = (f: Fill[]) => f.map((x) => `${x.side} ${x.size.toFixed(4)} @ ${x.avg.toFixed(2)} t+${((x.tMs) / 1000).toFixed(1)}s`).join("; ");
    const diff = servedEquity - simEquity;
    process.stdout.write(
      `# simulator: ${simOut.length} orders, final equity ${simEquity.toFixed(2)} USDT: ${show(simOut)}\n` +
      `# served:    ${servedOut.length} orders, final equity ${servedEquity.toFixed(2)} USDT: ${show(servedOut)}\n` +
      `# difference: ${diff.toFixed(2)} USDT (${(diff / simEquity * 100).toFixed(3)}% of equity); ${result.wakes} wakes served\n`,
    );
    // What latency explains: the served bot samples the mid, and its orders reach the book, a
    // round trip or three later (tens to hundreds of simulated ms a request, seconds under load
    // at this speed-up), so an EMA crossing near a tie can land a sample earlier or later, or a
    // short whipsaw (a sell and the buy back) be seen on one venue only. The clear moves agree.
    const INTERVAL_MS = PARAMS.intervalSec * 1000;
    assert.ok(simOut.length >= 3, `the bot should trade a few times in the window (${simOut.length})`);
    assert.ok(Math.abs(simOut.length - servedOut.length) <= 2, "order counts differ by more than one whipsaw");
    const [a, b] = [simOut[0], servedOut[0]];
    assert.equal(b.side, a.side, "the first order's side");
    assert.ok(Math.abs(b.tMs - a.tMs) <= 2 * INTERVAL_MS, `the first order at ${a.tMs} and ${b.tMs} ms`);
    assert.ok(Math.abs(b.avg / a.avg - 1) < 0.001, "the first order's price");
    const [x, y] = [simOut.at(-1)!, servedOut.at(-1)!];
    const shockMs = spec.shocks[0].at / 1e6;
    assert.ok(x.side === "sell" && y.side === "sell" && x.tMs > shockMs && y.tMs > shockMs, "both sell after the crash");
    assert.ok(Math.abs(y.tMs - x.tMs) <= 2 * INTERVAL_MS, `the crash sell at ${x.tMs} and ${y.tMs} ms`);
    assert.ok(Math.abs(diff / simEquity) < 0.02, `final equity differs by ${(diff / simEquity * 100).toFixed(2)}%`);
  });
});
