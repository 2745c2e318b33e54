// Momentum (trend-chasing) traders: buy after rises, sell after falls; they amplify moves.
import { z } from "zod";
import { numberArray } from "../market/array-kinds.ts";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { RatePerMin, time } from "./params.ts";
import { midTicks, poissonGapNs, type World } from "./world.ts";

export const MomentumTraderParams = z.strictObject({
  /** Mean decisions per minute (Poisson). */
  ratePerMin: RatePerMin.default(1),
  /** How far back the trend is measured, seconds; each trader draws its own in [0.5x, 1.5x]. */
  lookbackSec: time(1e9, "s").default(300),
  /** Move over the lookback below which the trader does nothing, basis points. */
  thresholdBps: z.number().min(0).default(15),
  /** Order size per 1% of move, base coins; capped at `sizeMax`. */
  sizePerPct: z.number().positive().default(0.5),
  sizeMax: z.number().positive().default(2),
  /** A position is closed after this long, seconds (chartists trade short horizons). */
  holdSec: time(1e9, "s").default(600),
  /**
   * Orders take liquidity as IOC limits this far through the touch (basis points): chasing,
   * but with the price protection real venues put on market orders, so one order cannot
   * sweep a book that has emptied all the way down (or up).
   */
  throughBps: z.number().min(0).default(50),
  base: z.number().min(0).default(20),
  quote: z.number().min(0).default(600_000),
});
export type MomentumTraderParams = z.infer<typeof MomentumTraderParams>;

const SECOND = 1_000_000_000;

/**
 * Samples the mid at each decision and trades in the direction of its change over a
 * lookback of its own (heterogeneous horizons), with market orders; unwinds after `holdSec`.
 */
export class MomentumTrader implements SimAgent {
  // Times in ns are doubles after the first 2 s of a run (see market/array-kinds.ts).
  private readonly times = numberArray();
  private readonly mids: number[] = [];
  private lookbackNs = 0;
  /** Open position, lots (signed), and when it was opened. */
  private position = 0;
  private openedAt = 0;

  constructor(private readonly p: MomentumTraderParams, private readonly world: World) {}

  start(ctx: AgentContext): void {
    this.lookbackNs = Math.round(this.p.lookbackSec * SECOND * (0.5 + ctx.rng.next()));
    ctx.wakeIn(poissonGapNs(ctx, this.p.ratePerMin));
  }

  wake(ctx: AgentContext): void {
    ctx.wakeIn(poissonGapNs(ctx, this.p.ratePerMin));
    const p = this.p;
    const ex = ctx.exchange;
    const market = ex.markets[ctx.symbol];
    const tick = market.precision.price;
    const lot = market.precision.amount;
    const mid = midTicks(ex, Math.round(this.world.initialPrice / tick));
    this.times.push(ctx.now);
    this.mids.push(mid);
    // Forget samples older than the lookback, keeping the newest one at or before it.
    while (this.times.length > 2 && this.times[1] <= ctx.now - this.lookbackNs) {
      this.times.shift();
      this.mids.shift();
    }
    if (this.position !== 0 && ctx.now - this.openedAt >= p.holdSec * SECOND) {
      this.take(ctx, this.position > 0 ? Side.SELL : Side.BUY, Math.abs(this.position), mid);
      this.position = 0;
    }
    if (this.times[0] > ctx.now - this.lookbackNs || this.position !== 0) return;
    const movePct = Math.log(mid / this.mids[0]) * 100;
    if (Math.abs(movePct) * 100 < p.thresholdBps) return;
    const lots = Math.floor(Math.min(p.sizeMax, p.sizePerPct * Math.abs(movePct)) / lot + 1e-9);
    if (lots < 1) return;
    this.take(ctx, movePct > 0 ? Side.BUY : Side.SELL, lots, mid);
    this.position = movePct > 0 ? lots : -lots;
    this.openedAt = ctx.now;
  }

  /** An IOC limit `throughBps` beyond the far touch (the mid when that side is empty). */
  private take(ctx: AgentContext, side: Side, lots: number, mid: number): void {
    const ex = ctx.exchange;
    const buy = side === Side.BUY;
    const touch = buy ? ex.askTicks() : ex.bidTicks();
    const ref = touch > 0 ? touch : mid;
    const ticks = buy ? Math.ceil(ref * (1 + this.p.throughBps / 1e4)) : Math.max(1, Math.floor(ref * (1 - this.p.throughBps / 1e4)));
    ex.sendOrder(side, OrderType.LIMIT, TimeInForce.IOC, false, ticks, lots);
  }
}
