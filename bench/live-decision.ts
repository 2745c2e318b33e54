// Tick-to-decision of the ensemble strategy bot: from the host handing it a new closed candle to its order (or its return when it holds).
//
// The bot is agents/bots/strategy-bot.ts with strategy "ensemble" and the default risk rules,
// unchanged. Its host here is a stub Exchange that answers from memory: fetchOHLCV returns the
// next prepared closed 1-minute candle, fetchBalance the balances as a live host keeps them
// (from the user data stream), createOrder fills at the candle's close. So what is timed is
// the bot's own decision path, no network: folding the candle, the four members and the regime
// detector, the exits, the risk manager, the sizing. Interval: t0 = when the stub resolves
// fetchOHLCV with the candle (inside the bot's wake), t1 = when the bot calls createOrder, or,
// when it decides to hold, when its wake() promise has resolved. The history before the timed
// ticks warms the indicators (and V8) through the same path, untimed.
import { StrategyBot, StrategyBotParams } from "../agents/bots/strategy-bot.ts";
import { MemoryLog, type BotContext, type RandomStream } from "../agents/bot.ts";
import type { Balances, Exchange, MarketInfo, OHLCV, Order } from "../market/exchange.ts";
import { syntheticBars } from "./backtest.ts";

const SYMBOL = "BTC/USDT";
const MARKET: MarketInfo = { symbol: SYMBOL, base: "BTC", quote: "USDT", precision: { price: 0.01, amount: 0.0001 }, limits: { cost: { min: 5 } }, maker: 0.001, taker: 0.001 };

export interface DecisionTimes {
  /** Wall time of each timed tick, ms. */
  readonly ms: Float64Array;
  /** Timed ticks that ended in an order, and in a hold. */
  readonly orders: number;
  readonly holds: number;
  readonly warmBars: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** A seeded stream the bot never draws from (a strategy bot decides from its candles only). */
const NO_RNG: RandomStream = {
  next: () => 0.5, int: (lo) => lo, normal: (m = 0) => m, exponential: (r) => 1 / r, bernoulli: () => false,
  fork: () => NO_RNG,
};

/**
 * Runs the ensemble bot on `warm` untimed candles, then times `ticks` more.
 * @throws Error when a tick delivers no decision (the bot skipped a candle it was given).
 */
export async function timeDecisions(warm: number, ticks: number): Promise<DecisionTimes> {
  const bars = syntheticBars(warm + ticks, "btc-arena/bench/live/v1");
  const bot = new StrategyBot(StrategyBotParams.parse({ strategy: "ensemble" }));
  let i = 0;
  let t0 = 0;
  let decidedAt = NaN;
  const bal = { BTC: 0, USDT: 100_000 };
  const balances = (): Balances => {
    const b = { BTC: { free: bal.BTC, used: 0, total: bal.BTC }, USDT: { free: bal.USDT, used: 0, total: bal.USDT }, free: { ...bal }, used: { BTC: 0, USDT: 0 }, total: { ...bal } };
    return b as unknown as Balances;
  };
  const ex = {
    id: "stub", markets: { [SYMBOL]: MARKET },
    async fetchOHLCV(): Promise<OHLCV[]> {
      const k = i;
      const row: OHLCV = [bars.timestamps[k], bars.open[k], bars.high[k], bars.low[k], bars.close[k], bars.volume[k]];
      t0 = now();
      return [row];
    },
    async fetchBalance(): Promise<Balances> {
      return balances();
    },
    async createOrder(_s: string, _t: string, side: string, amount: number): Promise<Order> {
      decidedAt = now();
      const px = bars.close[i];
      if (side === "buy") {
        bal.USDT -= amount * px * (1 + MARKET.taker);
        bal.BTC += amount;
      } else {
        bal.BTC -= amount;
        bal.USDT += amount * px * (1 - MARKET.taker);
      }
      return { id: String(i), status: "closed", filled: amount } as unknown as Order;
    },
  } as unknown as Exchange;
  const ctx: BotContext = {
    exchange: ex, symbol: SYMBOL, get now() {
      return bars.timestamps[i] + 61_000;
    },
    wakeAt: () => undefined, wakeIn: () => undefined, rng: NO_RNG, log: new MemoryLog(() => 0, 0),
  };
  bot.start(ctx);
  const ms = new Float64Array(ticks);
  let orders = 0;
  for (i = 0; i < warm + ticks; i++) {
    decidedAt = NaN;
    await bot.wake(ctx);
    const ordered = !Number.isNaN(decidedAt);
    const t1 = ordered ? decidedAt : now();
    if (i < warm) continue;
    ms[i - warm] = t1 - t0;
    if (ordered) orders++;
  }
  return { ms, orders, holds: ticks - orders, warmBars: warm };
}
