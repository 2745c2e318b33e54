// Runs any registered rule strategy as a bot on an Exchange: candles from the trade stream, orders through the risk manager.
import { z } from "zod";
import { ExchangeError, type Exchange } from "../../market/exchange.ts";
import { ValidationError } from "../../market/validate.ts";
import type { Bot, BotContext, VenueState } from "../bot.ts";
import { parseRiskConfig, RiskManager } from "../risk/risk-manager.ts";
import { createStrategy, strategyNames } from "../strategies/registry.ts";
import { ProtectiveExits, sortRoi } from "../../market/fills/exits.ts";
import type { Candle, ExitRules, Strategy } from "../strategies/strategy.ts";

export const StrategyBotParams = z.strictObject({
  /** A strategy registry name: sma-cross, trend-following, mean-reversion, breakout, ensemble, memory-rsi (which needs params.memory). */
  strategy: z.string().refine((s) => strategyNames().includes(s), { message: `must be one of ${strategyNames().join(", ")}` }),
  /** The strategy's params; its timeframe defaults to 1m here, since scenarios last hours, not months. */
  params: z.record(z.string(), z.unknown()).default({}),
  /** Risk-manager overrides (a rule set to null is off); the defaults of agents/risk apply otherwise. */
  risk: z.record(z.string(), z.unknown()).default({}),
  /** Candles it fetches (the venue's; the simulator keeps 1m): it looks once a candle, one second after each closes. */
  feed: z.enum(["1m", "5m", "15m", "1h", "4h", "1d"]).default("1m"),
});
export type StrategyBotParams = z.infer<typeof StrategyBotParams>;

const TIMEFRAME_SEC: Readonly<Record<string, number>> = { "1m": 60, "5m": 300, "15m": 900, "1h": 3600, "4h": 14_400, "1d": 86_400 };

/**
 * A strategy object, unchanged, as a bot: it fetches closed 1-minute candles once a minute (as
 * a bar bot on ccxt would), folds them into candles of the strategy's timeframe, and on each bar's close asks
 * the strategy for a signal and the risk manager for permission and size. Exits (the
 * strategy's stop-loss, ROI table and trailing stop; the manager's stop-loss, trailing stop,
 * take-profit and circuit breaker) are checked on every closed bar and sent as market orders.
 * Everything goes through the Exchange port, so the same bot runs on any venue.
 */
export class StrategyBot implements Bot {
  readonly strategy: Strategy;
  readonly risk: RiskManager;
  private readonly exits = new ProtectiveExits();
  private readonly roi: ExitRules["roi"];
  /** The strategy's bar and the fetched candle, ms. */
  private readonly barMs: number;
  private readonly feed: string;
  private readonly feedMs: number;
  private readonly bar: Candle = { time: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0 };
  /** Open time (Unix ms) of the next candle to ask for. */
  private nextMs: number | undefined = undefined;
  /** Open position: entry price, best high of the bars before the current one, entry time (ms). */
  private entry = NaN;
  private best = NaN;
  /** The circuit breaker asked to close everything and the bot may still hold some. */
  private flattening = false;
  private enteredMs = 0;
  refused = 0;
  /** Regime label changes (Unix ms of the bar), for strategies that detect one. */
  readonly regimes: { time: number; regime: string }[] = [];

  constructor(p: StrategyBotParams) {
    this.strategy = createStrategy(p.strategy, { timeframe: "1m", ...p.params });
    this.risk = new RiskManager(parseRiskConfig(p.risk));
    this.barMs = TIMEFRAME_SEC[this.strategy.timeframe] * 1000;
    this.feed = p.feed;
    this.feedMs = TIMEFRAME_SEC[p.feed] * 1000;
    if (this.barMs % this.feedMs !== 0) {
      throw new ValidationError("feed", `feed: ${JSON.stringify(p.feed)} is invalid: it must divide the strategy's timeframe ${this.strategy.timeframe}`);
    }
    this.roi = sortRoi(this.strategy.exits.roi);
  }

  /**
   * Rebuilds the open position's entry from the venue: the volume-weighted price of the latest
   * buys that add up to the base held, its best price = entry, its entry time = the last of
   * those buys. The risk manager keeps no position: its day start and peak are the equity at
   * the first bar it observes after the restart.
   */
  reconcile(ctx: BotContext, venue: VenueState): string {
    const market = ctx.exchange.markets[ctx.symbol];
    const held = venue.balance.total[market.base] ?? 0;
    const riskNote = "risk manager: day start and peak from the equity at the first bar after the restart";
    if (held < market.precision.amount) return `strategy: flat, no position to rebuild; ${riskNote}`;
    let need = held;
    let cost = 0;
    let got = 0;
    let last = 0;
    for (let i = venue.trades.length - 1; i >= 0 && need > market.precision.amount / 2; i--) {
      const t = venue.trades[i];
      if (t.symbol !== ctx.symbol || t.side !== "buy") continue;
      const a = Math.min(t.amount, need);
      cost += a * t.price;
      got += a;
      need -= a;
      last = Math.max(last, t.timestamp);
    }
    if (got === 0) return `strategy: holds ${held} ${market.base} but no buy is among the recent fills: entry unknown, so the exits by entry price stay off until the strategy exits; ${riskNote}`;
    this.entry = cost / got;
    this.best = this.entry;
    this.enteredMs = last;
    return `strategy: long ${held} ${market.base}, entry ${this.entry.toFixed(2)} (VWAP of the last buys covering ${got.toFixed(8)} of it), best = entry, entered ${new Date(last).toISOString()}; ${riskNote}`;
  }

  start(ctx: BotContext): void {
    // A second after the first candle closes (so it is a closed one), then once a candle.
    ctx.wakeAt(ctx.now + this.feedMs + 1000);
  }

  async wake(ctx: BotContext): Promise<void> {
    ctx.wakeIn(this.feedMs);
    const ex = ctx.exchange;
    // One REST round trip a candle, as a bar bot on ccxt runs: the closed candles since the
    // last one seen, folded into the strategy's timeframe.
    const rows = await ex.fetchOHLCV(ctx.symbol, this.feed, this.nextMs, 1000);
    for (const [t, o, h, l, c, v] of rows) {
      this.nextMs = t + this.feedMs;
      const b = this.bar;
      if (Number.isNaN(b.open)) {
        b.time = t - (t % this.barMs);
        b.open = o;
        b.high = h;
        b.low = l;
        b.volume = 0;
      }
      if (h > b.high) b.high = h;
      if (l < b.low) b.low = l;
      b.close = c;
      b.volume += v;
      if ((t + this.feedMs) % this.barMs !== 0) continue;
      const signal = this.strategy.update(b);
      const { time, open, high, low, close } = b;
      const regime = this.strategy.regime?.();
      if (regime !== undefined && regime !== this.regimes.at(-1)?.regime) this.regimes.push({ time, regime });
      b.open = NaN;
      try {
        await this.act(ex, ctx.symbol, time, signal, open, high, low, close);
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
        this.refused++;
        ctx.log.warn("order refused", { reason: err.reason, message: err.message });
      }
    }
  }

  private async act(ex: Exchange, symbol: string, timeMs: number, signal: string, open: number, high: number, low: number, close: number): Promise<void> {
    const market = ex.markets[symbol];
    const balance = await ex.fetchBalance();
    const held = balance.total[market.base] ?? 0;
    const equity = (balance.total[market.quote] ?? 0) + held * close;
    this.risk.observe(timeMs, equity);
    const lot = market.precision.amount;
    const long = held >= lot;
    const sellAll = async (riskRule: string | null) => {
      const lots = Math.floor((balance.free[market.base] ?? 0) / lot + 1e-9);
      if (lots < 1) return;
      if (riskRule !== null) this.risk.forced(timeMs, symbol, riskRule, `sold ${(lots * lot).toFixed(6)} at ~${close} (entry ${this.entry})`);
      await ex.createOrder(symbol, "market", "sell", Number((lots * lot).toPrecision(12)));
      this.entry = NaN;
    };
    if (long && !Number.isNaN(this.entry)) {
      // The backtests' rule (market/fills/exits.ts) on the closed bar; the exit is then
      // sent at market, since the bar is already over.
      const x = this.exits;
      x.levels(this.strategy.exits, this.roi, this.risk, this.entry, this.best, (timeMs - this.enteredMs) / 60_000);
      this.best = Math.max(this.best, high);
      if (x.check(open, high, low)) return sellAll(x.byRisk ? x.reason : null);
    }
    if (this.risk.closeAllNow) {
      this.flattening = true;
      return sellAll("circuit-breaker");
    }
    if (this.flattening) {
      // A market sell into a crash's empty book may fill nothing: sell again each bar until flat.
      if (long) return sellAll(null);
      this.flattening = false;
    }
    if (signal === "exit" && long) return sellAll(null);
    if (signal !== "enter" || long) return;
    const wanted = (balance.free[market.quote] ?? 0) * 0.95;
    const allowed = this.risk.sizeEntry(timeMs, symbol, wanted, equity, 0, 0);
    const lots = Math.floor(allowed / (close * (1 + 2 * market.taker)) / lot);
    if (lots < 1 || allowed < market.limits.cost.min) return;
    await ex.createOrder(symbol, "market", "buy", Number((lots * lot).toPrecision(12)));
    this.entry = close;
    this.best = close;
    this.enteredMs = timeMs;
  }
}
