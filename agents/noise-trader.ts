// Noise traders: Poisson arrivals, a limit/market mix, heavy-tailed sizes, prices around mid.
import { z } from "zod";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { RatePerMin, time } from "./params.ts";
import { midTicks, poissonGapNs, type World } from "./world.ts";

export const NoiseTraderParams = z.strictObject({
  /** Mean orders per minute of one trader (Poisson arrivals). */
  ratePerMin: RatePerMin.default(2),
  /** Share of arrivals that are market orders; the rest are limit orders. */
  marketProb: z.number().min(0).max(1).default(0.15),
  /** Mean distance of a limit price from mid, in basis points (exponentially distributed). */
  offsetMeanBps: z.number().min(0).max(1000).default(8),
  /** Smallest order, base coins; sizes follow a Pareto tail with exponent `sizeTailAlpha`. */
  sizeMin: z.number().positive().default(0.001),
  sizeTailAlpha: z.number().min(1.05).max(10).default(1.6),
  sizeMax: z.number().positive().default(2),
  /** A resting order older than this is canceled at the trader's next arrival, seconds. */
  lifetimeSec: time(1e9, "s").default(180),
  /** Endowment, coins. */
  base: z.number().min(0).default(10),
  quote: z.number().min(0).default(300_000),
});
export type NoiseTraderParams = z.infer<typeof NoiseTraderParams>;


/**
 * Trades for no reason: the background order flow of the market. Fire-and-forget: it never
 * awaits, reads the top of book from its delayed feed and its open orders from its client's
 * state, so it costs the kernel no yields.
 */
export class NoiseTrader implements SimAgent {
  constructor(private readonly p: NoiseTraderParams, private readonly world: World) {}

  start(ctx: AgentContext): void {
    ctx.wakeIn(this.gapNs(ctx));
  }

  /** The wait to the next arrival at the rate of the moment (the market's activity moves it). */
  private gapNs(ctx: AgentContext): number {
    const activity = this.world.activity;
    return poissonGapNs(ctx, activity === undefined ? this.p.ratePerMin : this.p.ratePerMin * activity.at(ctx.now));
  }

  wake(ctx: AgentContext): void {
    ctx.wakeIn(this.gapNs(ctx));
    const ex = ctx.exchange;
    const p = this.p;
    const market = ex.markets[ctx.symbol];
    const tick = market.precision.price;
    const lot = market.precision.amount;
    const lifetimeNs = p.lifetimeSec * 1e9;
    // Open orders come in acceptance order, which is also the order they were heard of in
    // (one FIFO feed), so the ones past their lifetime are a prefix.
    for (let i = 0, n = ex.openOrderCount; i < n; i++) {
      const o = ex.openOrderAt(i);
      if (ctx.now - o.localTs <= lifetimeNs) break;
      ex.sendCancel(o.id);
    }
    const mid = midTicks(ex, Math.round(this.world.initialPrice / tick));
    const rng = ctx.rng;
    const side = rng.bernoulli(0.5) ? Side.BUY : Side.SELL;
    // Pareto sizes: many small orders, a few large ones (heavy tails in volume and returns).
    const size = Math.min(p.sizeMax, p.sizeMin * Math.pow(1 - rng.next(), -1 / p.sizeTailAlpha));
    const lots = Math.max(1, Math.floor(size / lot + 1e-9));
    if (rng.next() < p.marketProb) {
      ex.sendOrder(side, OrderType.MARKET, TimeInForce.IOC, false, 0, lots);
      return;
    }
    const offsetTicks = Math.round(rng.exponential(1) * ((p.offsetMeanBps / 10_000) * mid));
    const ticks = Math.max(1, Math.round(side === Side.BUY ? mid - offsetTicks : mid + offsetTicks));
    ex.sendOrder(side, OrderType.LIMIT, TimeInForce.GTC, false, ticks, lots);
  }
}
