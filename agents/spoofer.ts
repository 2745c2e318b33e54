// Spoofing / layering: large orders stacked behind the touch on one side, canceled before they can fill.
import { z } from "zod";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { MAX_STEP_NS, Offset, time } from "./params.ts";

export const SpooferParams = z
  .strictObject({
    /** Active window from the start of the run. */
    from: Offset.default(0),
    until: Offset,
    /** "buy" stacks bids (to make the book look strong and lift the price), "sell" stacks asks. */
    side: z.enum(["buy", "sell"]).default("buy"),
    /** Layers, their size (base coins) and the distance of the first from the touch and between them (bps). */
    layers: z.number().int().min(1).max(50).default(5),
    layerSize: z.number().positive().default(10),
    offsetBps: z.number().gt(0).default(5),
    spacingBps: z.number().min(0).default(3),
    /** Seconds between re-layering: every layer is canceled and placed again behind the new touch. */
    refreshSec: time(1e9, "s", { maxNs: MAX_STEP_NS }).default(2),
    /** A small genuine order on the other side each refresh, base coins (0 for none): what the spoofer profits from. */
    tradeSize: z.number().min(0).default(0.05),
    base: z.number().min(0).default(50),
    quote: z.number().min(0).default(5_000_000),
  })
  .refine((p) => p.from < p.until, { message: "from must be before until", path: ["from"] });
export type SpooferParams = z.infer<typeof SpooferParams>;

/**
 * Layers large post-only orders a few basis points behind the touch and pulls them all at the
 * next refresh, before the price can come to them: depth that is shown and never meant to
 * trade. Each refresh it also sends a small real order on the other side at the touch.
 */
export class Spoofer implements SimAgent {
  constructor(private readonly p: SpooferParams) {}

  start(ctx: AgentContext): void {
    ctx.wakeAt(Math.max(1, this.p.from));
  }

  wake(ctx: AgentContext): void {
    const p = this.p;
    const ex = ctx.exchange;
    for (const o of ex.openOrderStates()) ex.sendCancel(o.id);
    if (ctx.now >= p.until) return;
    ctx.wakeIn(Math.round(p.refreshSec * 1e9));
    const market = ex.markets[ctx.symbol];
    const lot = market.precision.amount;
    const buy = p.side === "buy";
    const touch = buy ? ex.bidTicks() : ex.askTicks();
    if (touch <= 0) return;
    const layerLots = Math.max(1, Math.floor(p.layerSize / lot + 1e-9));
    for (let i = 0; i < p.layers; i++) {
      const bps = (p.offsetBps + i * p.spacingBps) / 1e4;
      const ticks = buy ? Math.floor(touch * (1 - bps)) : Math.ceil(touch * (1 + bps));
      if (ticks > 0) ex.sendOrder(buy ? Side.BUY : Side.SELL, OrderType.LIMIT, TimeInForce.GTC, true, ticks, layerLots);
    }
    const tradeLots = Math.floor(p.tradeSize / lot + 1e-9);
    const other = buy ? ex.askTicks() : ex.bidTicks();
    if (tradeLots >= 1 && other > 0) ex.sendOrder(buy ? Side.SELL : Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, other, tradeLots);
  }
}
