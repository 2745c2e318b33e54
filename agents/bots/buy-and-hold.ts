// Baseline bot: buys once at the start with most of its cash, then holds.
import { z } from "zod";
import { ExchangeError } from "../../market/exchange.ts";
import type { Bot, BotContext, VenueState } from "../bot.ts";

export const BuyAndHoldParams = z.strictObject({
  /** Share of the quote balance spent at the start. */
  fraction: z.number().gt(0).max(1).default(0.95),
  /** Delay before buying, seconds (lets the book form). */
  delaySec: z.number().min(0).max(604_800, "must be at most a week (604800 s)").default(60),
});
export type BuyAndHoldParams = z.infer<typeof BuyAndHoldParams>;

/**
 * The simplest reference: what just owning BTC through the scenario does to an account. A
 * market buy takes only what the book offers, so it buys in slices every few seconds until
 * it holds the share of its starting cash it was asked to.
 */
export class BuyAndHold implements Bot {
  refused = 0;
  /** Quote it must keep: (1 - fraction) of the starting cash, fixed at the first look. */
  private keep = NaN;
  constructor(private readonly p: BuyAndHoldParams) {}

  /**
   * After a restart the quote left is no longer the starting cash: the share to keep is taken
   * from the starting cash estimated as the quote free now plus what the recent buys cost (fees in quote included).
   */
  reconcile(ctx: BotContext, venue: VenueState): string {
    const market = ctx.exchange.markets[ctx.symbol];
    let spent = 0;
    for (const t of venue.trades) {
      if (t.symbol !== ctx.symbol || t.side !== "buy") continue;
      spent += t.cost + (t.fee !== undefined && t.fee.currency === market.quote ? t.fee.cost : 0);
    }
    if (spent === 0) return "buy-and-hold: no buy among the recent fills, starts as new";
    const start = (venue.balance.free[market.quote] ?? 0) + spent;
    this.keep = start * (1 - this.p.fraction);
    return `buy-and-hold: the recent buys cost ${spent.toFixed(2)} ${market.quote}; it keeps ${this.keep.toFixed(2)} of the estimated starting ${start.toFixed(2)} and buys only above that`;
  }

  start(ctx: BotContext): void {
    // At least 1 ns later, so the first look comes after the start (as it always has).
    ctx.wakeIn(Math.max(1e-6, this.p.delaySec * 1000));
  }

  async wake(ctx: BotContext): Promise<void> {
    const ex = ctx.exchange;
    const [balance, book] = await Promise.all([ex.fetchBalance(), ex.fetchOrderBook(ctx.symbol, 1)]);
    if (book.asks.length === 0) {
      ctx.wakeIn(10_000);
      return;
    }
    const market = ex.markets[ctx.symbol];
    const free = balance.free[market.quote];
    if (Number.isNaN(this.keep)) this.keep = free * (1 - this.p.fraction);
    // Leave room for the taker fee and a little slippage within the slice.
    const spend = (free - this.keep) / (1 + 2 * market.taker);
    const lots = Math.floor(spend / book.asks[0][0] / market.precision.amount);
    // Done when what is left buys less than the venue's minimum order: the order's own notional
    // is what the venue judges (at the best ask), and flooring to whole lots can take it below
    // the minimum even when `spend` is above it; such an order would be refused every 10 s for
    // the rest of the run.
    if (lots < 1 || lots * market.precision.amount * book.asks[0][0] < market.limits.cost.min) return;
    try {
      await ex.createOrder(ctx.symbol, "market", "buy", Number((lots * market.precision.amount).toPrecision(12)));
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      this.refused++;
      ctx.log.warn("order refused", { reason: err.reason, message: err.message });
    }
    ctx.wakeIn(10_000);
  }
}
