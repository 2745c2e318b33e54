// Whale and liquidation cascade: a large sell starts a fall, and leveraged longs are sold out as it reaches them.
import { z } from "zod";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { MAX_STEP_NS, Offset, time } from "./params.ts";
import { midTicks, type World } from "./world.ts";

export const LiquidationCascadeParams = z
  .strictObject({
    /** When the whale starts selling, from the start of the run. */
    at: Offset,
    /** The whale's sale: base coins in total, sold at market in slices of `sliceSize` each step. */
    whaleSize: z.number().min(0).default(50),
    /** Leveraged long positions, each of `positionSize` base coins. */
    positions: z.number().int().min(0).max(10_000).default(40),
    positionSize: z.number().positive().default(10),
    /**
     * Their liquidation prices, spread evenly from `firstPct` to `lastPct` percent below the
     * mid at `at`: where the cascade ends is where the forced sellers run out.
     */
    firstPct: z.number().gt(0).lt(100).default(1),
    lastPct: z.number().gt(0).lt(100).default(20),
    /** Sell per step of each selling position (and of the whale), base coins. */
    sliceSize: z.number().positive().default(2),
    /**
     * Forced sellers cross the spread: each step's sale is a limit order this far below the
     * bid (basis points); what does not fill rests as the new best ask, so a book whose bids
     * are gone still trades lower instead of freezing. Re-priced every step.
     */
    belowBidBps: z.number().min(0).default(50),
    /**
     * A liquidated position is sold no lower than this far below its liquidation price (its
     * bankruptcy price, basis points): the ladder's end bounds how deep the cascade can go.
     */
    bankruptcyBps: z.number().min(0).default(100),
    stepSec: time(1e9, "s", { maxNs: MAX_STEP_NS }).default(1),
    /** The agent stops after this long, seconds. */
    activeSec: time(1e9, "s").default(1800),
  })
  .refine((p) => p.firstPct <= p.lastPct, { message: "firstPct must not exceed lastPct", path: ["firstPct"] });
export type LiquidationCascadeParams = z.infer<typeof LiquidationCascadeParams>;

/**
 * One agent holds the whale's coins and the book of leveraged longs. From `at`, the whale sells
 * in slices; every step, each position whose liquidation price the bid has reached is sold at
 * market, slice by slice, which pushes the bid down to the next ones: a cascade that feeds on
 * itself and stops where the ladder of liquidation prices ends.
 */
export class LiquidationCascade implements SimAgent {
  /** Coins sold positions still owe the market, decreased by fills as they come. */
  private pending = 0;
  /** Each position's liquidation price in ticks; 0 once it has been triggered. */
  private triggers: Float64Array | undefined;
  /** Lowest price the coins owed may be sold at, ticks: the deepest liquidated position's bankruptcy price. */
  private floor = Infinity;

  constructor(private readonly p: LiquidationCascadeParams, private readonly world: World) {}

  start(ctx: AgentContext): void {
    const lot = ctx.exchange.markets[ctx.symbol].precision.amount;
    ctx.exchange.listener = { onFill: (_o, _price, size) => void (this.pending -= size * lot) };
    ctx.wakeAt(Math.max(1, this.p.at));
  }

  wake(ctx: AgentContext): void {
    const p = this.p;
    const ex = ctx.exchange;
    const market = ex.markets[ctx.symbol];
    const lot = market.precision.amount;
    const triggers = this.triggers ?? this.arm(ctx);
    for (const o of ex.openOrderStates()) ex.sendCancel(o.id);
    if (ctx.now - p.at > p.activeSec * 1e9) return;
    ctx.wakeIn(Math.round(p.stepSec * 1e9));
    const bid = ex.bidTicks();
    let selling = this.pending > 0 ? 1 : 0;
    for (let i = 0; i < triggers.length; i++) {
      if (triggers[i] === 0) {
        selling++;
        continue;
      }
      if (bid > 0 && bid > triggers[i]) continue;
      this.floor = Math.min(this.floor, triggers[i] * (1 - p.bankruptcyBps / 1e4));
      triggers[i] = 0;
      this.pending += p.positionSize;
      selling++;
    }
    // Each liquidated position (and the whale) sells at most a slice per step.
    const lots = Math.floor(Math.min(this.pending, p.sliceSize * selling) / lot + 1e-9);
    if (lots < 1) return;
    const ref = bid > 0 ? bid : midTicks(ex, Math.round(this.world.initialPrice / market.precision.price));
    const price = Math.max(1, Math.ceil(this.floor), Math.floor(ref * (1 - p.belowBidBps / 1e4)));
    ex.sendOrder(Side.SELL, OrderType.LIMIT, TimeInForce.GTC, false, price, lots);
  }

  private arm(ctx: AgentContext): Float64Array {
    const p = this.p;
    const ex = ctx.exchange;
    const mid = midTicks(ex, Math.round(this.world.initialPrice / ex.markets[ctx.symbol].precision.price));
    this.pending = p.whaleSize;
    this.floor = p.positions > 0 ? mid * (1 - p.firstPct / 100) : mid * (1 - p.bankruptcyBps / 1e4);
    const triggers = new Float64Array(p.positions);
    for (let i = 0; i < p.positions; i++) {
      const pct = p.positions === 1 ? p.firstPct : p.firstPct + ((p.lastPct - p.firstPct) * i) / (p.positions - 1);
      triggers[i] = mid * (1 - pct / 100);
    }
    this.triggers = triggers;
    return triggers;
  }
}

/** Base coins the agent must hold to sell everything it may have to. */
export function liquidationEndowment(p: LiquidationCascadeParams): number {
  return p.whaleSize + p.positions * p.positionSize;
}
