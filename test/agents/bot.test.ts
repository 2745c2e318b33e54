// The bot contract: one Bot class, written only against BotContext, runs in the simulator and on recorded bars; ms scheduler, stop hook, own seeded stream, log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryLog, type Bot, type BotContext } from "../../agents/bot.ts";
import { RandomTrader } from "../../agents/random-trader.ts";
import { runBotOnBars } from "../../experiments/backtest/bot-driver.ts";
import { addBot, BotAgent } from "../../agents/sim-bot.ts";
import { Kernel } from "../../sim/kernel.ts";
import { Rng } from "../../sim/rng.ts";
import { bars, MIN, T0 } from "../experiments/backtest/helpers.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Written against BotContext only: wakes 1.5 s after it starts, then at each of the next three
 * whole minutes (Unix); draws from its stream, logs, and looks at the book on each wake.
 */
class Probe implements Bot {
  readonly starts: number[] = [];
  readonly wakes: number[] = [];
  readonly clocks: number[] = [];
  readonly draws: number[] = [];
  readonly stops: number[] = [];
  books = 0;

  start(ctx: BotContext): void {
    this.starts.push(ctx.now);
    ctx.log.info("started", { symbol: ctx.symbol });
    ctx.wakeIn(1500);
  }

  async wake(ctx: BotContext): Promise<void> {
    this.wakes.push(ctx.now);
    this.clocks.push(ctx.exchange.milliseconds());
    this.draws.push(ctx.rng.next());
    if (this.wakes.length < 4) ctx.wakeAt(ctx.now - (ctx.now % MIN) + MIN);
    await ctx.exchange.fetchOrderBook(ctx.symbol, 1);
    this.books++;
  }

  stop(ctx: BotContext): void {
    this.stops.push(ctx.now);
    ctx.log.warn("stopped", { wakes: this.wakes.length });
  }
}

/** A small simulated market from T0 with `bots` added by name. */
function world(seed: number, bots: Record<string, Bot>): { kernel: Kernel; ids: Record<string, number> } {
  const kernel = new Kernel({ seed, epochMs: T0 });
  for (let i = 0; i < 4; i++) kernel.addAgent(`random/${i}`, new RandomTrader(), { base: 10, quote: 300_000 });
  const ids: Record<string, number> = {};
  for (const [name, bot] of Object.entries(bots)) ids[name] = addBot(kernel, `bot/${name}`, bot, { quote: 10_000 });
  return { kernel, ids };
}

const firstDraws = (seed: number, path: string, n: number) => {
  const r = Rng.root(seed).fork(path);
  return Array.from({ length: n }, () => r.next());
};

test("the same bot class runs in the simulator: times in Unix ms, wakes when asked (to the ms), stop hook at the end, its own stream", async () => {
  const p = new Probe();
  const { kernel, ids } = world(3, { probe: p });
  await kernel.run(5 * MIN * 1e6);
  assert.deepEqual(p.starts, [T0]);
  assert.deepEqual(p.wakes, [T0 + 1500, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
  assert.deepEqual(p.clocks, p.wakes, "ctx.now is the exchange's clock");
  assert.equal(p.books, 4, "each wake's await on the exchange finished within the run");
  assert.deepEqual(p.stops, [T0 + 5 * MIN], "stopped once, at the end of the run");
  assert.deepEqual(p.draws, firstDraws(3, "agents/bot/probe", 4), "its stream is the run seed's agents/bot/NAME");
  const log = (kernel.agent(ids.probe) as BotAgent).log as MemoryLog;
  assert.deepEqual(log.records, [
    { t: T0, level: "info", msg: "started", fields: { symbol: "BTC/USDT" } },
    { t: T0 + 5 * MIN, level: "warn", msg: "stopped", fields: { wakes: 4 } },
  ]);
});

test("the same bot class runs on recorded bars: started at the first open, wakes served at the close of the bar they fall in, stopped at the last close", async () => {
  const p = new Probe();
  const rows = Array.from({ length: 6 }, () => [100, 101, 99, 100] as const);
  const r = await runBotOnBars(p, { bars: bars(rows), pair: "x", fill: { commission: 0, slippage: 0 }, cash: 1000, rng: Rng.root(3).fork("agents/bot/probe") });
  assert.deepEqual(p.starts, [T0]);
  // Due at T0+1.5 s, inside bar 0: served when bar 0 closes (T0+1 min). Then due exactly at the
  // closes of bars 1, 2, 3: served as each closes.
  assert.deepEqual(p.wakes, [T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);
  assert.deepEqual(p.clocks, p.wakes);
  assert.equal(p.books, 4);
  assert.deepEqual(p.stops, [T0 + 6 * MIN]);
  assert.deepEqual(p.draws, firstDraws(3, "agents/bot/probe", 4), "the same stream as in the simulator");
  assert.equal(r.wakes, 4);
  assert.deepEqual(r.log.records.map((x) => [x.t, x.msg]), [[T0, "started"], [T0 + 6 * MIN, "stopped"]]);
});

test("the scheduler keeps fractions of a ms to the ns in the simulator; a wake in the past is refused naming the bot and time", async () => {
  const seen: number[] = [];
  let kernel: Kernel | undefined;
  const bot: Bot = {
    start: (ctx) => ctx.wakeIn(0.0015),
    wake: (ctx) => {
      seen.push(kernel!.now);
      if (seen.length === 1) ctx.wakeAt(T0 + 2.25);
      else if (seen.length === 2) ctx.wakeAt(ctx.now);
    },
  };
  kernel = world(1, { ns: bot }).kernel;
  await kernel.run(MIN * 1e6);
  assert.deepEqual(seen, [1500, 2_250_000, 2_250_000], "1.5 µs; then T0 + 2.25 ms; then now, which is the current (floored) ms");
  const late: Bot = { start: (ctx) => ctx.wakeAt(T0 - 1) };
  await assert.rejects(world(1, { late }).kernel.run(MIN * 1e6), /bot\/late: wakeAt\(1677628799999\) is not a Unix ms at or after now \(1677628800000\)/);
  const neg: Bot = { start: (ctx) => ctx.wakeIn(-1) };
  await assert.rejects(world(1, { neg }).kernel.run(MIN * 1e6), /bot\/neg: wakeIn\(-1\) is not a delay in ms >= 0/);
});

test("each bot draws from its own seeded stream: another bot or another seed changes nothing, or everything, as it should", async () => {
  const run = async (seed: number, names: string[]) => {
    const probes = Object.fromEntries(names.map((n) => [n, new Probe()]));
    await world(seed, probes).kernel.run(4 * MIN * 1e6);
    return Object.fromEntries(names.map((n) => [n, probes[n].draws]));
  };
  const alone = await run(5, ["a"]);
  const two = await run(5, ["a", "b"]);
  assert.deepEqual(two.a, alone.a, "adding bot b does not change a's draws");
  assert.notDeepEqual(two.b, two.a, "b has a stream of its own");
  assert.deepEqual((await run(5, ["a"])).a, alone.a, "same seed, same draws");
  assert.notDeepEqual((await run(6, ["a"])).a, alone.a, "another seed, other draws");
});

test("the bot contract and the bots under test import nothing from sim/ or a concrete simulated exchange", () => {
  const files = ["agents/bot.ts", ...readdirSync(join(ROOT, "agents/bots")).filter((f) => f.endsWith(".ts")).map((f) => `agents/bots/${f}`)];
  assert.ok(files.length >= 4);
  for (const f of files) {
    const src = readFileSync(join(ROOT, f), "utf8");
    for (const m of src.matchAll(/from\s+"([^"]+)"/g)) assert.doesNotMatch(m[1], /(^|\/)sim\/|market\/sim-/, `${f} imports ${m[1]}`);
  }
});
