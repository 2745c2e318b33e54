// Fundamental (value) traders: buy below the latent fundamental value, sell above it.
import { z } from "zod";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { RatePerMin, time } from "./params.ts";
import { midTicks, poissonGapNs, withdrawn, type World } from "./world.ts";

export const FundamentalTraderParams = z.strictObject({
  /** Mean decisions per minute (Poisson). */
  ratePerMin: RatePerMin.default(1),
  /** Mispricing below which the trader does nothing, basis points. */
  thresholdBps: z.number().min(0).default(20),
  /** Order size per 1% of mispricing, base coins; capped at `sizeMax`. */
  sizePerPct: z.number().positive().default(0.2),
  sizeMax: z.number().positive().default(2),
  /** Share of orders that take liquidity (IOC at the value); the rest rest between mid and value. */
  marketProb: z.number().min(0).max(1).default(0.5),
  /**
   * Where a limit order is priced, as a share of the way from the mid to the value: 0 joins the
   * mid, 1 bids the full value. Above 0 a trader undercuts the queue in front of it, which is
   * what lets a repricing be traded through a book whose other side has emptied.
   */
  aggression: z.number().min(0).max(1).default(0.3),
  /** A resting limit order older than this is canceled at the trader's next decision, seconds. */
  lifetimeSec: time(1e9, "s").default(60),
  base: z.number().min(0).default(20),
  quote: z.number().min(0).default(600_000),
});
export type FundamentalTraderParams = z.infer<typeof FundamentalTraderParams>;


/**
 * Trades toward the fundamental value, harder the further the market is from it: the force
 * that pulls prices back, and that carries a repricing (a crash, a pump) into the market when
 * a scenario moves the fundamental.
 */
export class FundamentalTrader implements SimAgent {
  constructor(private readonly p: FundamentalTraderParams, private readonly world: World) {}

  start(ctx: AgentContext): void {
    ctx.wakeIn(poissonGapNs(ctx, this.p.ratePerMin));
  }

  wake(ctx: AgentContext): void {
    ctx.wakeIn(poissonGapNs(ctx, this.p.ratePerMin));
    const p = this.p;
    if (withdrawn(this.world, ctx)) return;
    const ex = ctx.exchange;
    const market = ex.markets[ctx.symbol];
    const tick = market.precision.price;
    const lifetimeNs = p.lifetimeSec * 1e9;
    for (let i = 0, n = ex.openOrderCount; i < n; i++) {
      const o = ex.openOrderAt(i);
      if (ctx.now - o.localTs > lifetimeNs) ex.sendCancel(o.id);
    }
    const mid = midTicks(ex, Math.round(this.world.initialPrice / tick)) * tick;
    const value = this.world.fundamental.valueAt(ctx.now);
    const gapPct = (Math.log(value / mid)) * 100;
    if (Math.abs(gapPct) * 100 < p.thresholdBps) return;
    const side = gapPct > 0 ? Side.BUY : Side.SELL;
    const size = Math.min(p.sizeMax, p.sizePerPct * Math.abs(gapPct));
    const lot = market.precision.amount;
    const lots = Math.floor(size / lot + 1e-9);
    if (lots < 1) return;
    if (ctx.rng.next() < p.marketProb) {
      // Taking liquidity, but never beyond the value it trades toward: an IOC limit at the value
      // sweeps the book up to there and no further, however thin the book has become.
      ex.sendOrder(side, OrderType.LIMIT, TimeInForce.IOC, false, Math.max(1, Math.round(value / tick)), lots);
      return;
    }
    const midTick = mid / tick;
    const ticks = Math.max(1, Math.round(midTick + p.aggression * (value / tick - midTick)));
    ex.sendOrder(side, OrderType.LIMIT, TimeInForce.GTC, false, ticks, lots);
  }
}
