// The bot driver on recorded bars: wake-ups served at bar closes in order, round trips from fills, and the strategy bot trading as the runner does.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Bot, BotContext } from "../../../agents/bot.ts";
import { StrategyBot, StrategyBotParams } from "../../../agents/bots/strategy-bot.ts";
import { createStrategy } from "../../../agents/strategies/registry.ts";
import { RiskManager, DEFAULT_RISK } from "../../../agents/risk/risk-manager.ts";
import { roundTrips, runBotOnBars } from "../../../experiments/backtest/bot-driver.ts";
import { runBacktest } from "../../../experiments/backtest/runner.ts";
import { loadOhlcv } from "../../../experiments/ohlcv.ts";
import { Rng } from "../../../sim/rng.ts";
import { bars, MIN, T0 } from "./helpers.ts";

const FLAT = Array.from({ length: 5 }, () => [100, 101, 99, 100] as const);
const opts = { pair: "p", fill: { commission: 0.001, slippage: 0 }, cash: 1000, rng: Rng.root(1) };

test("wakes due by one close run after it (those asked for while serving too); one due a ms later waits for the next close", async () => {
  const at: number[] = [];
  const bot: Bot = {
    start(ctx) {
      ctx.wakeAt(T0 + 50_000);
      ctx.wakeAt(T0 + 10_000);
      ctx.wakeAt(T0 + 10_000); // two wakes at one time are two wakes
      ctx.wakeAt(T0 + MIN + 1); // 1 ms after bar 0's close: after bar 1
    },
    wake(ctx: BotContext) {
      at.push((ctx.now - T0) / 1000);
      // Due now (bar 0's close): still served at this close; then one in 2 min, at bar 2's close.
      if (at.length === 1) ctx.wakeIn(0);
      if (at.length === 5) ctx.wakeIn(2 * MIN);
    },
  };
  const r = await runBotOnBars(bot, { ...opts, bars: bars(FLAT) });
  assert.deepEqual(at, [60, 60, 60, 60, 120, 240]);
  assert.equal(r.wakes, 6);
});

test("a bot that buys in slices and sells in parts makes one round trip, flat to flat; the replay's closing sale is labelled end-of-data", async () => {
  const fill = (side: string, minute: number, amount: number, price: number) => ({ side, timestamp: T0 + minute * MIN, price, amount, cost: amount * price, fee: { cost: amount * price * 0.001 } });
  const trips = roundTrips(
    [fill("buy", 1, 1, 100), fill("buy", 2, 1, 110), fill("sell", 3, 1.5, 120), fill("sell", 4, 0.5, 90), fill("buy", 5, 2, 100), fill("sell", 6, 2, 95)],
    5, "p", 1e-8,
  );
  assert.equal(trips.length, 2);
  const [a, b] = trips;
  assert.deepEqual([a.entryTime, a.exitTime, a.size, a.entryPrice, a.exitPrice, a.exitReason], [T0 + MIN, T0 + 4 * MIN, 2, 105, 112.5, "signal"]);
  assert.ok(Math.abs(a.pnl - (225 - 210 - 0.435)) < 1e-9, `pnl ${a.pnl}`);
  assert.deepEqual([b.entryTime, b.exitTime, b.exitReason], [T0 + 5 * MIN, T0 + 6 * MIN, "end-of-data"]);
});

test("a bot's market buy fills at the next open; the equity curve values its account at each close, and the last point is after the closing sale", async () => {
  const rows = [[100, 100, 100, 100], [110, 110, 110, 110], [120, 120, 120, 120], [130, 130, 130, 130]] as const;
  const bot: Bot = {
    start: (ctx) => ctx.wakeIn(0),
    async wake(ctx) {
      await ctx.exchange.createOrder(ctx.symbol, "market", "buy", 5);
    },
  };
  const r = await runBotOnBars(bot, { ...opts, fill: { commission: 0, slippage: 0.01 }, bars: bars(rows) });
  // Bought at 110 · 1.01 = 111.1 (555.5 for 5); the closing sale gets 130 · 0.99 = 128.7.
  const want = [1000, 444.5 + 5 * 110, 444.5 + 5 * 120, 444.5 + 5 * 128.7];
  r.equity.forEach((e, i) => assert.ok(Math.abs(e - want[i]) < 1e-9, `equity[${i}] ${e} is not ${want[i]}`));
  assert.deepEqual(Array.from(r.exposure), [0, 1, 1, 1], "held at the last close, sold after it");
  assert.equal(r.trades.length, 1);
  const t = r.trades[0];
  assert.deepEqual([t.entryTime, t.exitReason], [T0 + MIN, "end-of-data"]);
  assert.ok(Math.abs(t.entryPrice - 111.1) < 1e-9 && Math.abs(t.exitPrice - 128.7) < 1e-9, `${t.entryPrice} → ${t.exitPrice}`);
});

test("the strategy bot on bars enters where the runner enters (same bar, same price) and leaves at most one bar later (its exits are sent after the bar closes)", async () => {
  const data = await loadOhlcv("test/fixtures/sma-cross-15.csv");
  const fill = { commission: 0.001, slippage: 0.0005 };
  const params = { fast: 2, slow: 3, timeframe: "1m" };
  const runner = runBacktest({ pairs: [{ pair: "p", bars: data }], strategies: [createStrategy("sma-cross", params)], fill, cash: 10_000, risk: new RiskManager(DEFAULT_RISK) });
  const bot = new StrategyBot(StrategyBotParams.parse({ strategy: "sma-cross", params }));
  const viaBot = await runBotOnBars(bot, { bars: data, pair: "p", fill, cash: 10_000, rng: Rng.root(1) });
  assert.ok(runner.trades.length >= 2);
  assert.equal(viaBot.trades.length, runner.trades.length);
  runner.trades.forEach((t, i) => {
    const b = viaBot.trades[i];
    assert.equal(b.entryTime, t.entryTime, `trade ${i} entry time`);
    assert.ok(Math.abs(b.entryPrice - t.entryPrice) < 1e-9, `trade ${i} entry price ${b.entryPrice} vs ${t.entryPrice}`);
    assert.ok(b.exitTime - t.exitTime >= 0 && b.exitTime - t.exitTime <= MIN, `trade ${i} exit ${b.exitTime} vs ${t.exitTime}`);
  });
});
