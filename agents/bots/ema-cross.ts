// Baseline bot: long when a fast EMA of the mid is above a slow one, flat otherwise.
import { z } from "zod";
import { ExchangeError } from "../../market/exchange.ts";
import type { Bot, BotContext } from "../bot.ts";

export const EmaCrossParams = z
  .strictObject({
    /** Periods of the fast and slow exponential moving averages, in samples. */
    fast: z.number().int().min(1).default(12),
    slow: z.number().int().min(2).default(26),
    /** Seconds between samples of the mid (one bar). */
    // A bot's clock is whole ms; more than a day between samples is no longer an intraday EMA.
    intervalSec: z.number().min(0.001, "must be at least 1 ms (0.001 s)").max(86_400, "must be at most a day (86400 s)").default(60),
    /** Share of the quote balance spent when going long. */
    fraction: z.number().gt(0).max(1).default(0.95),
  })
  .refine((p) => p.fast < p.slow, { message: "fast must be shorter than slow", path: ["fast"] });
export type EmaCrossParams = z.infer<typeof EmaCrossParams>;

/**
 * Samples the mid each interval through the Exchange (a round trip, as a real bot would),
 * and trades the crossings of two EMAs with market orders: buy on a cross up, sell all on a
 * cross down (again each wake until a buy takes something or nothing is left to sell). Written against the promise API only, so it runs unchanged on any Exchange.
 */
export class EmaCross implements Bot {
  private fastEma = NaN;
  private slowEma = NaN;
  private samples = 0;
  /**
   * The crossing's order not yet done, sent again each wake while the crossing holds: a market
   * order into an emptied book side fills nothing, and a bot that trades only on the crossing
   * would stay long through the crash it saw.
   */
  private pending: "buy" | "sell" | null = null;
  /** Base held when the pending buy was last sent (Infinity before it is). */
  private baseBeforeBuy = Infinity;
  refused = 0;

  constructor(private readonly p: EmaCrossParams) {}

  start(ctx: BotContext): void {
    ctx.wakeIn(this.p.intervalSec * 1000);
  }

  async wake(ctx: BotContext): Promise<void> {
    ctx.wakeIn(this.p.intervalSec * 1000);
    const ex = ctx.exchange;
    const book = await ex.fetchOrderBook(ctx.symbol, 1);
    if (book.bids.length === 0 || book.asks.length === 0) return;
    const mid = (book.bids[0][0] + book.asks[0][0]) / 2;
    const wasAbove = this.fastEma > this.slowEma;
    const af = 2 / (this.p.fast + 1);
    const as = 2 / (this.p.slow + 1);
    this.fastEma = this.samples === 0 ? mid : af * mid + (1 - af) * this.fastEma;
    this.slowEma = this.samples === 0 ? mid : as * mid + (1 - as) * this.slowEma;
    this.samples++;
    if (this.samples <= this.p.slow) return;
    const isAbove = this.fastEma > this.slowEma;
    if (isAbove !== wasAbove) {
      this.pending = isAbove ? "buy" : "sell";
      this.baseBeforeBuy = Infinity;
    }
    if (this.pending === null) return;
    const market = ex.markets[ctx.symbol];
    const lot = market.precision.amount;
    try {
      const balance = await ex.fetchBalance();
      if (this.pending === "buy") {
        const lots = Math.floor((balance.free[market.quote] * this.p.fraction) / book.asks[0][0] / lot);
        // The balance, not only the last answer, says whether the last buy took: no second buy.
        if (lots < 1 || balance.free[market.base] >= this.baseBeforeBuy + lot / 2) this.pending = null;
        else {
          this.baseBeforeBuy = balance.free[market.base];
          const order = await ex.createOrder(ctx.symbol, "market", "buy", Number((lots * lot).toPrecision(12)));
          if (order.filled > 0) this.pending = null;
        }
      } else {
        const lots = Math.floor(balance.free[market.base] / lot + 1e-9);
        const amount = Number((lots * lot).toPrecision(12));
        // Flat once all of it is sold; what a thin book left is sold at the next wake.
        if (lots < 1 || (await ex.createOrder(ctx.symbol, "market", "sell", amount)).filled >= amount - lot / 2) this.pending = null;
      }
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      this.pending = null;
      this.refused++;
      ctx.log.warn("order refused", { reason: err.reason, message: err.message });
    }
  }
}
