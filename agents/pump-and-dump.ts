// Pump & dump manipulator: accumulates quietly, pumps with aggressive buys behind spoofed bids, dumps.
import { z } from "zod";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { Inventory, MAX_STEP_NS, Offset, time } from "./params.ts";
import { midTicks, type World } from "./world.ts";

export const PumpAndDumpParams = z
  .strictObject({
    /** Phase boundaries from the start of the run: accumulate until `pumpAt`, pump until `dumpAt`, dump until `endAt`. */
    accumulateAt: Offset.default(0),
    pumpAt: Offset,
    dumpAt: Offset,
    endAt: Offset,
    /** Seconds between the manipulator's actions. */
    stepSec: time(1e9, "s", { maxNs: MAX_STEP_NS }).default(5),
    /** Accumulation: a passive bid at the touch of this size, base coins, each step. */
    accumulateSize: z.number().positive().default(0.5),
    /** Pump: a market buy of this size each step, base coins. */
    pumpSize: z.number().positive().default(1),
    /** How far through the ask the pump's buys may reach, basis points. */
    pumpThroughBps: z.number().min(0).default(20),
    /** Spoofed bids during the pump: how many, how large (base coins) and how far below the bid (basis points, first level). */
    spoofLevels: z.number().int().min(0).max(20).default(5),
    spoofSize: z.number().positive().default(20),
    spoofBps: z.number().min(0).default(15),
    /** Dump: a sell of this size each step until the inventory is gone, base coins, priced `dumpBelowBps` under the bid. */
    dumpSize: z.number().positive().default(5),
    dumpBelowBps: z.number().min(0).default(100),
    base: z.number().min(0).default(0),
    quote: z.number().min(0).default(20_000_000),
  })
  .refine((p) => p.accumulateAt <= p.pumpAt && p.pumpAt < p.dumpAt && p.dumpAt < p.endAt, {
    message: "phases must be in order: accumulateAt <= pumpAt < dumpAt < endAt",
    path: ["pumpAt"],
  });
export type PumpAndDumpParams = z.infer<typeof PumpAndDumpParams>;

/**
 * The textbook scheme: buys passively at the bid while the market is quiet, then buys
 * through the ask every step while a ladder of large bids below the touch makes the book look strong
 * (each replaced before the price can reach it, so they are never meant to fill), then sells
 * everything it holds, each slice priced through the bid. Momentum traders chase the pump; the dump meets no buyers.
 */
export class PumpAndDump implements SimAgent {
  private inv!: Inventory;
  constructor(private readonly p: PumpAndDumpParams, private readonly world: World) {}

  start(ctx: AgentContext): void {
    const market = ctx.exchange.markets[ctx.symbol];
    this.inv = new Inventory(market.precision.amount);
    ctx.exchange.listener = { onFill: (o, _price, size) => this.inv.fill(o.side === Side.BUY, size) };
    ctx.wakeAt(Math.max(1, this.p.accumulateAt));
  }

  wake(ctx: AgentContext): void {
    const p = this.p;
    const now = ctx.now;
    if (now >= p.endAt) return;
    ctx.wakeIn(Math.round(p.stepSec * 1e9));
    const ex = ctx.exchange;
    const market = ex.markets[ctx.symbol];
    const lot = market.precision.amount;
    const lotsOf = (coins: number) => Math.floor(coins / lot + 1e-9);
    for (const o of ex.openOrderStates()) ex.sendCancel(o.id);
    const bid = ex.bidTicks();
    if (now < p.pumpAt) {
      if (bid > 0) ex.sendOrder(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, bid, lotsOf(p.accumulateSize));
    } else if (now < p.dumpAt) {
      // Aggressive, not blind: an IOC limit a little through the ask takes what is offered near
      // the touch without sweeping a book that value sellers have emptied.
      const ask = ex.askTicks();
      if (ask > 0) ex.sendOrder(Side.BUY, OrderType.LIMIT, TimeInForce.IOC, false, Math.ceil(ask * (1 + p.pumpThroughBps / 1e4)), lotsOf(p.pumpSize));
      const ref = bid > 0 ? bid : midTicks(ex, Math.round(this.world.initialPrice / market.precision.price));
      for (let i = 0; i < p.spoofLevels; i++) {
        const ticks = Math.floor(ref * (1 - (p.spoofBps * (i + 1)) / 1e4));
        if (ticks > 0) ex.sendOrder(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, true, ticks, lotsOf(p.spoofSize));
      }
    } else {
      const lots = Math.min(lotsOf(p.dumpSize), lotsOf(this.inv.coins));
      const ticks = Math.floor(bid * (1 - p.dumpBelowBps / 1e4));
      if (lots >= 1 && ticks > 0) ex.sendOrder(Side.SELL, OrderType.LIMIT, TimeInForce.GTC, false, ticks, lots);
    }
  }
}
