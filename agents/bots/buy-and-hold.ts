// Baseline bot: buys once at the start with most of its cash, then holds.
import { z } from "zod";
import { ExchangeError } from "../../market/exchange.ts";
import type { Bot, BotContext } from "../bot.ts";

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
