// Market makers: two-sided quotes skewed by inventory (Avellaneda–Stoikov style), widened by volatility.
import { z } from "zod";
import type { OrderRec } from "../market/sim-population-port.ts";
import { OrderType, Side, TimeInForce } from "../market/types.ts";

import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { MAX_STEP_NS, time } from "./params.ts";
import { midTicks, withdrawn, type World } from "./world.ts";

export const MarketMakerParams = z.strictObject({
  /** Time between quote refreshes, ms (jittered ±20%). */
  refreshMs: time(1e6, "ms", { maxNs: MAX_STEP_NS }).default(1000),
  /** Size of each quote, base coins. */
  quoteSize: z.number().positive().default(0.05),
  /** Quotes per side, and the distance between them in basis points. */
  levels: z.number().int().min(1).max(20).default(3),
  levelSpacingBps: z.number().min(0).default(2),
  /**
   * Quotes sit on a price grid this many basis points apart (floored for bids, ceiled for
   * asks), so a maker re-quotes when its reservation moves a grid step, not at every tick.
   */
  gridBps: z.number().min(0).default(1),
  /** Smallest half-spread, basis points. */
  baseSpreadBps: z.number().min(0).default(2),
  /** Half-spread added per basis point of realised volatility (per refresh interval). */
  volMultiplier: z.number().min(0).default(1.5),
  /** Weight of the newest squared return in the volatility estimate (EWMA). */
  volAlpha: z.number().gt(0).max(1).default(0.05),
  /** Reservation price shift at full inventory, basis points (toward reducing it). */
  skewBps: z.number().min(0).default(10),
  /** Inventory (base coins, either sign) at which only the reducing side is quoted. */
  maxInventory: z.number().positive().default(2),
  /** Mark-to-market loss (quote coins) at which quotes are pulled for `cooldownSec`. */
  lossLimit: z.number().positive().default(20_000),
  cooldownSec: time(1e9, "s", { zero: true }).default(300),
  base: z.number().min(0).default(10),
  quote: z.number().min(0).default(300_000),
});
export type MarketMakerParams = z.infer<typeof MarketMakerParams>;

/**
 * Quotes both sides around a reservation price that leans against its inventory, with a
 * spread that widens when the mid moves a lot, and steps back when inventory or losses hit
 * their limits: the liquidity that makes the book, and that vanishes in a crisis.
 * Callback-driven: fills come through the exchange listener, the mid from the delayed feed.
 */
export class MarketMaker implements SimAgent {
  private inventory = 0;
  private cash = 0;
  private lastLogMid = NaN;
  private variance = 0;
  private pausedUntil = 0;
  /** Desired quote prices per level this refresh, ticks (0 = none); reused, not reallocated. */
  private readonly bids: number[] = [];
  private readonly asks: number[] = [];

  constructor(private readonly p: MarketMakerParams, private readonly world: World) {}

  start(ctx: AgentContext): void {
    const market = ctx.exchange.markets[ctx.symbol];
    const tick = market.precision.price;
    const lot = market.precision.amount;
    ctx.exchange.listener = {
      onFill: (o: Readonly<OrderRec>, price: number, size: number, _fee: number, asTaker: boolean) => {
        const coins = size * lot;
        const value = price * tick * coins;
        if (o.side === Side.BUY) {
          this.inventory += coins;
          this.cash -= value;
        } else {
          this.inventory -= coins;
          this.cash += value;
        }
        this.cash -= value * (asTaker ? market.taker : market.maker);
      },
    };
    ctx.wakeIn(1 + ctx.rng.int(0, Math.round(this.p.refreshMs * 1e6)));
  }

  wake(ctx: AgentContext): void {
    const p = this.p;
    ctx.wakeIn(Math.max(1, Math.round(p.refreshMs * 1e6 * (0.8 + 0.4 * ctx.rng.next()))));
    const ex = ctx.exchange;
    const market = ex.markets[ctx.symbol];
    const tick = market.precision.price;
    const mid = midTicks(ex, Math.round(this.world.initialPrice / tick));
    const logMid = Math.log(mid);
    if (!Number.isNaN(this.lastLogMid)) {
      const r = logMid - this.lastLogMid;
      this.variance = (1 - p.volAlpha) * this.variance + p.volAlpha * r * r;
    }
    this.lastLogMid = logMid;
    const pnl = this.cash + this.inventory * mid * tick;
    if (pnl < -p.lossLimit && this.pausedUntil === 0) this.pausedUntil = ctx.now + p.cooldownSec * 1e9;
    if (ctx.now < this.pausedUntil || withdrawn(this.world, ctx)) {
      for (let k = 0, n = ex.openOrderCount; k < n; k++) ex.sendCancel(ex.openOrderAt(k).id);
      return;
    }
    this.pausedUntil = 0;
    const volBps = Math.sqrt(this.variance) * 1e4;
    const half = p.baseSpreadBps + p.volMultiplier * volBps;
    const lean = Math.max(-1, Math.min(1, this.inventory / p.maxInventory));
    const reservation = mid * (1 - (p.skewBps * lean) / 1e4);
    const lots = Math.max(1, Math.round(p.quoteSize / market.precision.amount));
    const bids = this.bids;
    const asks = this.asks;
    const grid = Math.max(1, Math.round((mid * p.gridBps) / 1e4));
    for (let i = 0; i < p.levels; i++) {
      const d = (half + i * p.levelSpacingBps) / 1e4;
      const bid = Math.floor((reservation * (1 - d)) / grid) * grid;
      bids[i] = this.inventory < p.maxInventory && bid > 0 ? bid : 0;
      asks[i] = this.inventory > -p.maxInventory ? Math.max(Math.ceil((reservation * (1 + d)) / grid) * grid, bid + 1) : 0;
    }
    // Quotes already standing where they should, at full size, keep their place in the queue;
    // only the rest is canceled and re-sent (a maker does not churn identical quotes).
    for (let k = 0, n = ex.openOrderCount; k < n; k++) {
      const o = ex.openOrderAt(k);
      const want = o.side === Side.BUY ? bids : asks;
      const at = o.amount - o.filled === lots ? want.indexOf(o.price) : -1;
      if (at >= 0 && at < p.levels) want[at] = 0;
      else ex.sendCancel(o.id);
    }
    for (let i = 0; i < p.levels; i++) {
      if (bids[i] > 0) ex.sendOrder(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, true, bids[i], lots);
      if (asks[i] > 0) ex.sendOrder(Side.SELL, OrderType.LIMIT, TimeInForce.GTC, true, asks[i], lots);
    }
  }
}
