// Bot.reconcile: what the strategy bot and buy-and-hold rebuild from the venue's open orders, balances and recent fills after a restart.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BotContext, VenueState } from "../../../agents/bot.ts";
import { BuyAndHold, BuyAndHoldParams } from "../../../agents/bots/buy-and-hold.ts";
import { StrategyBot, StrategyBotParams } from "../../../agents/bots/strategy-bot.ts";
import type { Exchange, Trade } from "../../../market/exchange.ts";

const MARKET = { symbol: "BTC/USDT", base: "BTC", quote: "USDT", precision: { price: 0.01, amount: 0.0001 }, limits: { cost: { min: 5 } }, maker: 0.001, taker: 0.001 };
const ctx = { exchange: { markets: { "BTC/USDT": MARKET } } as unknown as Exchange, symbol: "BTC/USDT" } as BotContext;
const fill = (side: "buy" | "sell", amount: number, price: number, timestamp: number): Trade =>
  ({ id: String(timestamp), order: "1", timestamp, datetime: "", symbol: "BTC/USDT", side, takerOrMaker: "taker", price, amount, cost: amount * price, fee: { cost: amount * price * 0.001, currency: "USDT" }, info: { venueTs: 0, localTs: 0 } });
const state = (btc: number, usdt: number, trades: Trade[]): VenueState =>
  ({ openOrders: [], balance: { free: { BTC: btc, USDT: usdt }, used: {}, total: { BTC: btc, USDT: usdt } }, trades } as unknown as VenueState);

describe("Bot.reconcile", () => {
  it("the strategy bot takes its entry from the latest buys that make up the position, and says so; flat, it rebuilds nothing", () => {
    const bot = new StrategyBot(StrategyBotParams.parse({ strategy: "sma-cross" }));
    const line = bot.reconcile(ctx, state(0.3, 1000, [fill("buy", 0.5, 25_000, 1), fill("sell", 0.5, 26_000, 2), fill("buy", 0.1, 30_000, 3), fill("buy", 0.2, 27_000, 4)]));
    assert.match(line, /^strategy: long 0\.3 BTC, entry 28000\.00 \(VWAP of the last buys covering 0\.30000000 of it\), best = entry, entered 1970-01-01T00:00:00\.004Z/);
    assert.match(new StrategyBot(StrategyBotParams.parse({ strategy: "sma-cross" })).reconcile(ctx, state(0, 1000, [])), /^strategy: flat, no position to rebuild/);
  });

  it("buy-and-hold keeps its share of the starting cash estimated from what the recent buys cost, so a restart does not buy again", () => {
    const bot = new BuyAndHold(BuyAndHoldParams.parse({ fraction: 0.9 }));
    const line = bot.reconcile(ctx, state(0.3, 1_000, [fill("buy", 0.3, 30_000, 1)]));
    // Start = 1000 free + 9000 spent + 9 fee = 10009; it keeps 10%.
    assert.equal(line, "buy-and-hold: the recent buys cost 9009.00 USDT; it keeps 1000.90 of the estimated starting 10009.00 and buys only above that");
    assert.match(new BuyAndHold(BuyAndHoldParams.parse({})).reconcile(ctx, state(0, 10_000, [])), /no buy among the recent fills, starts as new/);
  });
});
